import type { Transaction } from "kysely";
import type { Actor } from "../accounts/actor.js";
import type { CommentRow, Database } from "../store/schema.js";
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

export { DECISION_REASONS, type DecisionReason } from "../shared/decisions.js";
import type { DecisionReason } from "../shared/decisions.js";

export interface Decision {
  action: "approve" | "reject";
  reason?: { code: DecisionReason; text?: string };
}

export interface Decided {
  id: string;
  siteId: string;
  storyId: string;
  status: "published" | "rejected";
}

/**
 * Approves or rejects a comment inside the caller's transaction. Publishing or withdrawing it
 * moves every count with it, closes its open reports, records its live and webhook events and
 * writes the decision, with its reason, to the audit log. Announce `events` after the commit,
 * then `announceDecided` for the queues.
 */
export async function applyDecision(
  trx: Transaction<Database>,
  props: { deps: Deps; actor: Actor; comment: CommentRow; decision: Decision; events: PendingEvents },
): Promise<Decided> {
  const { deps, actor, comment, decision, events } = props;
  const now = deps.clock.now();
  const to = decision.action === "approve" ? "published" : "rejected";
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
}

/** Tells the desks' queues a comment moved (after the commit). */
export function announceDecided(deps: Deps, decided: Decided): void {
  deps.live.queueChanged({ type: "queue.changed", siteId: decided.siteId, storyId: decided.storyId, commentId: decided.id, status: decided.status });
}

/** Approves or rejects one comment in a transaction of its own (see `applyDecision`). */
export async function decide(props: { deps: Deps; actor: Actor; commentId: string; decision: Decision }) {
  const { deps, actor, decision } = props;
  const events = new PendingEvents();
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const comment = await findComment(trx, props.commentId);
    if (!comment) throw notFound("Comment");
    return applyDecision(trx, { deps, actor, comment, decision, events });
  });
  events.announce(deps);
  announceDecided(deps, result);
  return { id: result.id, status: result.status };
}
