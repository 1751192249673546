import type { Actor } from "../accounts/actor.js";
import { findComment, moveStatus } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { conflict, notFound } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { audit } from "./audit.js";
import { resolveReports } from "./store.js";

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
  return deps.store.db.transaction().execute(async (trx) => {
    const comment = await findComment(trx, props.commentId);
    if (!comment) throw notFound("Comment");
    if (comment.status === "removed") throw conflict(ErrorCodes.CONFLICT, "The author deleted this comment.");
    await moveStatus(trx, comment, to, { decided_at: now, open_reports: 0, priority: 0 });
    await resolveReports(trx, comment.id, now);
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
    return { id: comment.id, status: to };
  });
}
