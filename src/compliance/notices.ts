import type { Actor } from "../accounts/actor.js";
import { audit } from "../audit/log.js";
import { hashIp } from "../comments/service.js";
import { normaliseText } from "../comments/text.js";
import type { Deps } from "../deps.js";
import { notFound, rateLimited, validationFailed } from "../errors.js";
import { type Delivery, withEvents } from "../events/spine.js";
import { moderationSettings } from "../moderation/settings.js";
import type { CommentRow, NoticeRow } from "../store/schema.js";
import { closeOpenNotices, findNoticeableComment, insertNotice, raiseNoticePriority } from "./store.js";

/**
 * A notice moves its comment above any number of readers' reports (`REPORT_PRIORITY` is 1,000
 * each) and any score: EU DSA Art. 16 asks for notices to be processed diligently and quickly.
 */
export const NOTICE_PRIORITY = 1_000_000;

export interface NoticeInput {
  commentId: string;
  law: string;
  explanation: string;
  reporterEmail?: string | undefined;
  goodFaith: boolean;
}

/** What the notifier gave, folded: trimmed, NFC, an empty address left out. */
function cleaned(input: NoticeInput) {
  const email = input.reporterEmail?.trim();
  return {
    law: normaliseText(input.law).trim().slice(0, 300),
    explanation: normaliseText(input.explanation).trim().slice(0, 5000),
    email: email ? email.slice(0, 254) : null,
  };
}

/**
 * Anyone, signed in or not, notifies a published comment of illegal content (EU DSA Art. 16).
 * Limited per network address (`rateLimits.noticesPerHourPerIp`); the notice goes to the top of
 * the desk's Reported queue with the notifier's explanation, and the notifier gets a receipt
 * (`notice.received`) when they left an address. The route refuses a notice without a law, an
 * explanation or the good-faith statement before anything is read or stored.
 */
export async function fileNotice(props: { deps: Deps; actor: Actor | null; ip: string | undefined; input: NoticeInput }): Promise<NoticeRow> {
  const { deps, actor } = props;
  const given = cleaned(props.input);
  // Checked before anything is read, counted or stored: a refused notice changes nothing.
  if (!given.law) throw validationFailed("Name the law the comment breaks.", { path: "/law" });
  if (!given.explanation) {
    throw validationFailed("Explain why the comment is illegal: a notice without an explanation cannot be reviewed.", { path: "/explanation" });
  }
  if (props.input.goodFaith !== true) {
    throw validationFailed("Confirm that you send this notice in good faith (goodFaith: true).", { path: "/goodFaith" });
  }
  const comment = await findNoticeableComment(deps.store.db, props.input.commentId);
  if (!comment) throw notFound("Comment");
  const settings = await moderationSettings(deps, comment.site_id);
  const now = deps.clock.now();
  const ipHash = hashIp(deps, props.ip);
  if (settings.rateLimits.enabled && settings.rateLimits.noticesPerHourPerIp > 0 && ipHash) {
    const hit = await deps.limiter.hit(`notice:ip:${ipHash}`, settings.rateLimits.noticesPerHourPerIp, 3600_000, now);
    if (!hit.allowed) throw rateLimited(hit.retryAfterMs / 1000, "Many notices came from your network lately; try again later.");
  }
  return withEvents(deps, async (trx, emit) => {
    const notice: NoticeRow = {
      id: deps.ids.next(),
      site_id: comment.site_id,
      story_id: comment.story_id,
      comment_id: comment.id,
      reporter_id: actor?.user.id ?? null,
      reporter_email: given.email,
      law: given.law,
      explanation: given.explanation,
      ip_hash: ipHash,
      status: "open",
      decided_by: null,
      created_at: now,
      decided_at: null,
    };
    await insertNotice(trx, notice);
    await raiseNoticePriority(trx, comment.id, NOTICE_PRIORITY);
    await audit(deps, trx, {
      siteId: comment.site_id,
      actorId: actor?.user.id ?? null,
      action: "notice.file",
      targetType: "comment",
      targetId: comment.id,
      reasonCode: "illegal-content",
      reasonText: `${given.law}: ${given.explanation}`.slice(0, 1000),
      after: { noticeId: notice.id, status: "open" },
    });
    await emit(trx, { type: "notice.received", notice, comment });
    return notice;
  });
}

/**
 * Closes a comment's open notices when a moderator decides on it (or it is deleted), in the
 * decision's transaction: each is audited and `notice.decided` tells its notifier.
 */
export async function closeNotices(
  d: Delivery,
  props: { comment: CommentRow; outcome: NoticeRow["status"] & ("actioned" | "dismissed" | "withdrawn"); decidedBy: string | null },
): Promise<void> {
  const now = d.deps.clock.now();
  const closed = await closeOpenNotices(d.trx, props.comment.id, { status: props.outcome, decidedBy: props.decidedBy, at: now });
  for (const notice of closed) {
    await audit(d.deps, d.trx, {
      siteId: notice.site_id,
      actorId: props.decidedBy,
      action: `notice.${props.outcome}`,
      targetType: "comment",
      targetId: notice.comment_id,
      reasonCode: "illegal-content",
      reasonText: notice.law.slice(0, 1000),
      before: { noticeId: notice.id, status: "open" },
      after: { noticeId: notice.id, status: props.outcome },
    });
    await d.deps.events.deliver({ type: "notice.decided", notice }, d);
  }
}

/** A notice as the API answers its notifier: nothing they did not give, no one else's data. */
export function presentNotice(row: NoticeRow) {
  return { id: row.id, receivedAt: new Date(row.created_at).toISOString() };
}
