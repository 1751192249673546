import type { Actor } from "../accounts/actor.js";
import { authorize, siteSubject } from "../accounts/policies.js";
import { audit } from "../audit/log.js";
import { findComment } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { AppError, conflict, forbidden, notFound } from "../errors.js";
import { withEvents } from "../events/spine.js";
import { applyDecision } from "../moderation/decisions.js";
import { ErrorCodes } from "../shared/codes.js";
import type { AppealRow } from "../store/schema.js";
import { closeAppeal, findAppeal, findAppealOf, findStatement, insertAppeal } from "./store.js";

/** An appeal as the API shows it. */
export function presentAppeal(row: AppealRow) {
  return {
    id: row.id,
    decisionId: row.statement_id,
    status: row.status,
    explanation: row.explanation,
    note: row.note,
    createdAt: new Date(row.created_at).toISOString(),
    decidedAt: row.decided_at === null ? null : new Date(row.decided_at).toISOString(),
  };
}

/**
 * The author appeals a statement of reasons (EU DSA Art. 20) within its window: once per
 * statement. After the window: 409 APPEAL_WINDOW_CLOSED and nothing stored.
 */
export async function fileAppeal(props: { deps: Deps; actor: Actor; statementId: string; explanation: string }) {
  const { deps, actor } = props;
  return withEvents(deps, async (trx) => {
    const statement = await findStatement(trx, props.statementId);
    if (!statement || statement.author_id !== actor.user.id) throw notFound("Decision");
    const now = deps.clock.now();
    if (now > statement.appeal_until) {
      throw new AppError(409, ErrorCodes.APPEAL_WINDOW_CLOSED, "The time to appeal this decision has passed.", {
        appealUntil: new Date(statement.appeal_until).toISOString(),
      });
    }
    if (await findAppealOf(trx, statement.id)) throw conflict(ErrorCodes.ALREADY_APPEALED, "You have already appealed this decision.");
    const row: AppealRow = {
      id: deps.ids.next(),
      statement_id: statement.id,
      site_id: statement.site_id,
      author_id: actor.user.id,
      explanation: props.explanation.trim(),
      status: "open",
      note: null,
      decided_by: null,
      created_at: now,
      decided_at: null,
    };
    await insertAppeal(trx, row);
    await audit(deps, trx, {
      siteId: statement.site_id,
      actorId: actor.user.id,
      action: "appeal.file",
      targetType: "comment",
      targetId: statement.comment_id,
      reasonCode: statement.reason,
      reasonText: row.explanation.slice(0, 1000),
      after: { appealId: row.id, status: "open" },
    });
    return row;
  });
}

/**
 * A moderator of the site, never the one who decided (any moderator when automated means
 * decided), upholds or reverses an appeal. Reversing a rejection publishes the comment again
 * through `applyDecision` (its counts, reports, events and audit entry with it).
 */
export async function decideAppeal(props: {
  deps: Deps;
  actor: Actor;
  appealId: string;
  action: "uphold" | "reverse";
  note: string;
}) {
  const { deps, actor } = props;
  return withEvents(deps, async (trx, emit) => {
    const appeal = await findAppeal(trx, props.appealId);
    if (!appeal) throw notFound("Appeal");
    authorize(actor, "moderate", siteSubject(appeal.site_id));
    const statement = await findStatement(trx, appeal.statement_id);
    if (!statement) throw notFound("Appeal");
    if (statement.decided_by === actor.user.id) {
      throw forbidden("You made this decision: another moderator must decide the appeal.");
    }
    if (appeal.status !== "open") throw conflict(ErrorCodes.ALREADY_APPEALED, "This appeal has already been decided.");
    const to = props.action === "reverse" ? "reversed" : "upheld";
    if (props.action === "reverse") {
      const comment = await findComment(trx, statement.comment_id);
      if (!comment || comment.status === "removed" || statement.action === "remove") {
        throw conflict(ErrorCodes.CONFLICT, "This comment was deleted and cannot be restored.");
      }
      if (comment.status !== "published") {
        await applyDecision(trx, { deps, actor, comment, decision: { action: "approve" }, emit });
      }
    }
    const now = deps.clock.now();
    if (!(await closeAppeal(trx, appeal.id, { status: to, note: props.note.trim(), decidedBy: actor.user.id, at: now }))) {
      throw conflict(ErrorCodes.ALREADY_APPEALED, "This appeal has already been decided.");
    }
    const decided: AppealRow = { ...appeal, status: to, note: props.note.trim(), decided_by: actor.user.id, decided_at: now };
    await emit(trx, { type: "appeal.decided", appeal: decided, statement });
    await audit(deps, trx, {
      siteId: appeal.site_id,
      actorId: actor.user.id,
      action: `appeal.${props.action}`,
      targetType: "comment",
      targetId: statement.comment_id,
      reasonCode: statement.reason,
      reasonText: decided.note?.slice(0, 1000) ?? null,
      before: { appealId: appeal.id, status: "open" },
      after: { appealId: appeal.id, status: to },
    });
    return decided;
  });
}
