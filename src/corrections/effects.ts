import type { Transaction } from "kysely";
import { audit } from "../audit/log.js";
import type { Deps } from "../deps.js";
import type { Emit } from "../events/spine.js";
import type { CorrectionRow, Database } from "../store/schema.js";

/**
 * What a decision on a correction records in its transaction: the audit entry and, on accept,
 * the `story.corrected` event (its consumers: the live event for open threads, and the outbox
 * event behind the webhook and the readers' notifications).
 */
export async function announceDecision(
  trx: Transaction<Database>,
  deps: Deps,
  emit: Emit,
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
  if (accepted) await emit(trx, { type: "story.corrected", correction: row, readers: decision.readers });
}
