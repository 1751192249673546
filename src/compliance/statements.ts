import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { EventSpine } from "../events/spine.js";
import { DEFAULT_MODERATION } from "../moderation/settings.js";
import { explainReason, groundOf } from "../shared/decisions.js";
import type { CommentRow, Database, DecisionStatementRow } from "../store/schema.js";
import { closeNotices } from "./notices.js";
import { appealDaysOf, insertStatement } from "./store.js";

const DAY_MS = 24 * 3600 * 1000;

/** The pipeline's phases that detect content by automated means (not pre-moderation, not readers' reports). */
const AUTOMATED_PHASES = new Set(["scores", "words", "links", "duplicates", "webhook"]);

/** Whether automated means flagged the comment before a moderator decided on it. */
export function detectedAutomatically(comment: CommentRow): boolean {
  if (!comment.reasons) return false;
  try {
    const reasons = JSON.parse(comment.reasons) as { phase?: unknown }[];
    return Array.isArray(reasons) && reasons.some((r) => typeof r.phase === "string" && AUTOMATED_PHASES.has(r.phase));
  } catch {
    return false;
  }
}

/**
 * Records the statement of reasons (EU DSA Art. 17) for a rejection or removal, in the
 * decision's transaction. The illegal-content ground names the law from the moderator's text.
 */
export async function recordStatement(
  trx: Transaction<Database>,
  deps: Deps,
  props: {
    comment: CommentRow;
    action: "reject" | "remove";
    reason: { code?: string | null; text?: string | null } | undefined;
    decidedBy: string | null;
    heldAutomatically: boolean;
  },
): Promise<void> {
  const { comment } = props;
  const reason = props.reason?.code ?? "other";
  const ground = groundOf(reason);
  const law = ground === "illegal" ? (props.reason?.text?.trim().slice(0, 300) || "the law applicable to the publisher") : null;
  const now = deps.clock.now();
  const days = await appealDaysOf(trx, comment.site_id, DEFAULT_MODERATION.appealDays);
  await insertStatement(trx, {
    id: deps.ids.next(),
    site_id: comment.site_id,
    story_id: comment.story_id,
    comment_id: comment.id,
    author_id: comment.author_id,
    action: props.action,
    ground,
    law,
    reason,
    explanation: explainReason(reason),
    automated: props.decidedBy === null || props.heldAutomatically ? 1 : 0,
    decided_by: props.decidedBy,
    decided_at: now,
    appeal_until: now + days * DAY_MS,
  });
}

/**
 * Statements of reasons: every rejection of a comment (a moderator's decision, each comment a
 * ban rejects) and every removal by a moderator records one for its author. Notices: a
 * decision on a notified comment closes its open notices (`notice.decided`).
 */
export function registerComplianceConsumers(spine: EventSpine): void {
  spine
    .on(["comment.moved"], "statements", async (e, d) => {
      if (e.comment.status !== "rejected" || e.from === "rejected" || e.from === "removed") return;
      await recordStatement(d.trx, d.deps, {
        comment: e.comment,
        action: "reject",
        reason: e.reason,
        decidedBy: e.decidedBy,
        heldAutomatically: e.from === "pending" && detectedAutomatically(e.comment),
      });
    })
    .on(["comment.deleted"], "statements", async (e, d) => {
      if (e.removedBy === null || e.comment.status === "rejected") return;
      await recordStatement(d.trx, d.deps, {
        comment: e.comment,
        action: "remove",
        reason: undefined,
        decidedBy: e.removedBy,
        heldAutomatically: e.comment.status === "pending" && detectedAutomatically(e.comment),
      });
    })
    // Notices of illegal content close with the decision on their comment: each notifier hears of it.
    .on(["comment.moved"], "notices", (e, d) =>
      closeNotices(d, { comment: e.comment, outcome: e.comment.status === "rejected" ? "actioned" : "dismissed", decidedBy: e.decidedBy }),
    )
    .on(["comment.deleted"], "notices", (e, d) =>
      closeNotices(d, { comment: e.comment, outcome: e.removedBy === null ? "withdrawn" : "actioned", decidedBy: e.removedBy }),
    );
}

/** A statement as its author reads it. */
export function presentStatement(row: DecisionStatementRow, appeal: { id: string; status: string } | undefined) {
  return {
    id: row.id,
    commentId: row.comment_id,
    action: row.action,
    ground: row.ground,
    law: row.law,
    reason: row.reason,
    explanation: row.law ? `${row.explanation} The law concerned: ${row.law}.` : row.explanation,
    automated: row.automated === 1,
    decidedAt: new Date(row.decided_at).toISOString(),
    appealUntil: new Date(row.appeal_until).toISOString(),
    appeal: appeal ? { id: appeal.id, status: appeal.status } : null,
  };
}
