import type { EventSpine } from "../events/spine.js";
import { enqueueAccountMail } from "./account-mail.js";
import { enqueueBacklogMail, enqueueNoticeMail } from "./compliance-mail.js";
import { enqueueEvent } from "./events.js";
import { addNotification } from "./inbox.js";

/**
 * Webhooks, notifications and account mail: each event that publishers or readers hear of
 * becomes one outbox job in the write's transaction, which the worker delivers later.
 */
export function registerNotificationConsumers(spine: EventSpine): void {
  spine
    .on(["comment.created", "comment.deleted"], "outbox", (e, d) =>
      enqueueEvent(d.trx, d.deps, { type: e.type, comment: e.comment }),
    )
    .on(["comment.featured"], "outbox", async (e, d) => {
      if (e.featured) await enqueueEvent(d.trx, d.deps, { type: "comment.featured", comment: e.comment });
    })
    .on(["comment.moved"], "outbox", async (e, d) => {
      if (e.from === e.comment.status) return;
      await enqueueEvent(
        d.trx,
        d.deps,
        e.comment.status === "published"
          ? { type: "comment.published", comment: e.comment }
          : { type: "comment.rejected", comment: e.comment, reason: e.reason },
      );
    })
    .on(["comment.reported"], "outbox", (e, d) =>
      enqueueEvent(d.trx, d.deps, { type: "comment.reported", comment: e.comment, report: e.report }),
    )
    .on(["user.sanctioned"], "outbox", async (e, d) => {
      if (e.action === "ban")
        await enqueueEvent(d.trx, d.deps, { type: "user.banned", user: e.user, siteId: e.siteId, reason: e.message });
    })
    .on(["story.created"], "outbox", (e, d) => enqueueEvent(d.trx, d.deps, { type: "story.created", story: e.story }))
    .on(["story.corrected"], "outbox", (e, d) =>
      enqueueEvent(d.trx, d.deps, { type: "story.corrected", correction: e.correction, readers: e.readers }),
    )
    // The author hears how their appeal was decided (a reversal also tells them the comment is published again).
    .on(["appeal.decided"], "outbox", async (e, d) => {
      const reversed = e.appeal.status === "reversed";
      await addNotification(d.trx, d.deps, {
        key: `appeal:${e.appeal.id}`,
        userId: e.appeal.author_id,
        kind: "appeal.decided",
        siteId: e.appeal.site_id,
        storyId: e.statement.story_id,
        commentId: e.statement.comment_id,
        data: {
          reasonCode: reversed ? "reversed" : "upheld",
          message: e.appeal.note,
        },
      });
    })
    // The notifier of illegal content gets a receipt and the decision, at the address they gave.
    .on(["notice.received"], "outbox", async (e, d) => {
      if (e.notice.reporter_email) await enqueueNoticeMail(d.trx, d.deps, { mail: "notice-receipt", noticeId: e.notice.id });
    })
    .on(["notice.decided"], "outbox", async (e, d) => {
      if (e.notice.reporter_email) await enqueueNoticeMail(d.trx, d.deps, { mail: "notice-decision", noticeId: e.notice.id });
    })
    // A backlog: the site's webhook subscribers hear of it, and each of its admins gets one mail.
    .on(["moderation.backlog"], "outbox", async (e, d) => {
      await enqueueEvent(d.trx, d.deps, { type: "moderation.backlog", siteId: e.siteId, pending: e.pending, oldestPendingAt: e.oldestPendingAt, minutes: e.minutes });
      await enqueueBacklogMail(d.trx, d.deps, { siteId: e.siteId, pending: e.pending, oldestPendingAt: e.oldestPendingAt, minutes: e.minutes });
    })
    .on(["account.mail"], "outbox", (e, d) =>
      enqueueAccountMail(d.trx, d.deps, { mail: e.mail, userId: e.userId, ...(e.link ? { link: e.link } : {}) }),
    );
}
