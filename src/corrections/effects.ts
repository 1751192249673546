import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import { type PendingEvents, recordStoryEvent } from "../live/record.js";
import { audit } from "../moderation/audit.js";
import { enqueueEvent } from "../notifications/events.js";
import type { CorrectionRow, Database } from "../store/schema.js";
import { presentStoryCorrection } from "./presenter.js";

/**
 * What a decision on a correction sets off, in the decision's transaction: the audit entry and,
 * on accept, the `story.corrected` live event and outbox event (webhooks, and the readers who
 * suggested it are told). Kept in one place so the event spine (#18) can take it over.
 */
export async function announceDecision(
  trx: Transaction<Database>,
  deps: Deps,
  events: PendingEvents,
  decision: { row: CorrectionRow; readers: string[]; merged: string[] },
): Promise<void> {
  const { row } = decision;
  const accepted = row.status === "accepted";
  await audit(deps, trx, {
    siteId: row.site_id,
    actorId: row.decided_by,
    action: accepted ? "story.correct" : "correction.decline",
    targetType: "story",
    targetId: row.story_id,
    reasonText: accepted ? row.note : row.decline_reason,
    before: { correctionId: row.id, status: "open" },
    after: { correctionId: row.id, status: row.status, together: decision.merged },
  });
  if (!accepted) return;
  const correction = presentStoryCorrection(row);
  await recordStoryEvent(trx, deps, events, {
    storyId: row.story_id,
    type: "story.corrected",
    payload: { correction },
  });
  await enqueueEvent(trx, deps, { type: "story.corrected", correction: row, readers: decision.readers });
}
