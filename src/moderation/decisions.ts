import type { Transaction } from "kysely";
import type { Actor } from "../accounts/actor.js";
import type { CommentRow, Database, UserRow } from "../store/schema.js";
import { findComment, moveStatus } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { conflict, notFound } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { audit } from "../audit/log.js";
import { resolveReports } from "./store.js";
import { findUserById } from "../accounts/store.js";
import { countWaitingReactions } from "../reactions/store.js";
import { type Emit, withEvents } from "../events/spine.js";

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
 * moves every count with it, closes its open reports, emits `comment.moved` (live readers,
 * the desks' queues, webhooks) and writes the decision, with its reason, to the audit log.
 */
export async function applyDecision(
  trx: Transaction<Database>,
  props: { deps: Deps; actor: Actor; comment: CommentRow; decision: Decision; emit: Emit },
): Promise<Decided> {
  const { deps, actor, comment, decision, emit } = props;
  const now = deps.clock.now();
  const to = decision.action === "approve" ? "published" : "rejected";
  if (comment.status === "removed") throw conflict(ErrorCodes.CONFLICT, "The author deleted this comment.");
  await moveStatus(trx, comment, to, { decided_at: now, open_reports: 0, priority: 0 });
  await resolveReports(trx, comment.id, now);
  const decided = { ...comment, status: to } as const;
  let author: UserRow | undefined;
  if (to === "published" && comment.status !== "published") {
    author = await findUserById(trx, comment.author_id);
    await countWaitingReactions(trx, comment.author_id);
  }
  await emit(trx, { type: "comment.moved", comment: decided, from: comment.status, author, reason: decision.reason, decidedBy: actor.user.id });
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

/** Approves or rejects one comment in a transaction of its own (see `applyDecision`). */
export async function decide(props: { deps: Deps; actor: Actor; commentId: string; decision: Decision }) {
  const { deps, actor, decision } = props;
  const result = await withEvents(deps, async (trx, emit) => {
    const comment = await findComment(trx, props.commentId);
    if (!comment) throw notFound("Comment");
    return applyDecision(trx, { deps, actor, comment, decision, emit });
  });
  return { id: result.id, status: result.status };
}
