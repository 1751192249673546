import type { Actor } from "../accounts/actor.js";
import { findComment, moveStatus } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { conflict, notFound } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { audit } from "./audit.js";
import { resolveReports } from "./store.js";
import { findUserById } from "../accounts/store.js";
import { countWaitingReactions } from "../reactions/store.js";
import { PendingEvents, recordCommentEvent } from "../live/record.js";
import { enqueueEvent } from "../notifications/events.js";

export const DECISION_REASONS = [
  "offensive",
  "abusive",
  "spam",
  "hate-speech",
  "harassment",
  "misinformation",
  "off-topic",
  "illegal-content",
  "other",
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

export interface Decision {
  action: "approve" | "reject";
  reason?: { code: DecisionReason; text?: string };
}

/**
 * Approves or rejects a comment. Publishing or withdrawing it moves every count with it,
 * closes its open reports and writes the decision, with its reason, to the audit log.
 */
export async function decide(props: { deps: Deps; actor: Actor; commentId: string; decision: Decision }) {
  const { deps, actor, decision } = props;
  const now = deps.clock.now();
  const to = decision.action === "approve" ? "published" : "rejected";
  const events = new PendingEvents();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const comment = await findComment(trx, props.commentId);
    if (!comment) throw notFound("Comment");
    if (comment.status === "removed") throw conflict(ErrorCodes.CONFLICT, "The author deleted this comment.");
    await moveStatus(trx, comment, to, { decided_at: now, open_reports: 0, priority: 0 });
    await resolveReports(trx, comment.id, now);
    const decided = { ...comment, status: to } as const;
    if (to === "published" && comment.status !== "published") {
      const author = await findUserById(trx, comment.author_id);
      await countWaitingReactions(trx, comment.author_id);
      await recordCommentEvent(trx, deps, events, { type: "comment.published", comment: decided, author });
    } else if (to === "rejected" && comment.status === "published") {
      await recordCommentEvent(trx, deps, events, { type: "comment.removed", comment: decided });
    }
    if (comment.status !== to) {
      await enqueueEvent(trx, deps, to === "published" ? { type: "comment.published", comment: decided } : { type: "comment.rejected", comment: decided, reason: decision.reason });
    }
    await audit(deps, trx, {
      siteId: comment.site_id,
      actorId: actor.user.id,
      action: `comment.${decision.action}`,
      targetType: "comment",
      targetId: comment.id,
      reasonCode: decision.reason?.code ?? null,
      reasonText: decision.reason?.text?.slice(0, 1000) ?? null,
      before: { status: comment.status },
      after: { status: to },
    });
    return { id: comment.id, siteId: comment.site_id, storyId: comment.story_id, status: to };
  });
  events.announce(deps);
  deps.live.queueChanged({ type: "queue.changed", siteId: result.siteId, storyId: result.storyId, commentId: result.id, status: result.status });
  return { id: result.id, status: result.status };
}
