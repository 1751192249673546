import type { Transaction } from "kysely";
import { plainText } from "../comments/render.js";
import type { Deps } from "../deps.js";
import type { Database, MailMode, NotificationKind, OutboxJobRow } from "../store/schema.js";
import type { CommentSnapshot, OutboxEvent } from "./events.js";
import { addNotification, type NotificationData } from "./inbox.js";
import { enqueueFollowers } from "./followers.js";
import { digestJob } from "./mail.js";
import { enqueue } from "./outbox.js";
import { type Prefs, type SiteNotificationSettings, readPrefs, siteNotificationSettings } from "./prefs.js";
import { queueWebhooks } from "./webhooks.js";
import { authorOf, displayNameOf, latestStatement, storyTitleAndUrl } from "./store.js";

type Trx = Transaction<Database>;

const excerpt = (body: string) => {
  const text = plainText(body).replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

interface Recipient {
  userId: string;
  kind: NotificationKind;
  /** How the reader wants this by e-mail (after the site's switches). */
  mail: MailMode;
  data?: Partial<NotificationData>;
}

/**
 * One notification per reader and event (its key makes a retried fan-out a no-op), plus
 * the e-mail job it calls for: at once, or the reader's next daily digest.
 */
async function notify(trx: Trx, deps: Deps, event: OutboxEvent, comment: CommentSnapshot, base: NotificationData, r: Recipient) {
  const key = `${event.id}:${r.kind}:${r.userId}`;
  const id = await addNotification(trx, deps, {
    key,
    userId: r.userId,
    kind: r.kind,
    siteId: comment.siteId,
    storyId: comment.storyId,
    commentId: comment.id,
    actorId: r.kind === "reply" || r.kind === "quote" || r.kind === "story.comment" ? comment.authorId : null,
    data: { ...base, ...r.data },
    digest: r.mail === "digest",
    at: Date.parse(event.occurredAt),
  });
  if (!id) return;
  if (r.mail === "immediate") {
    await enqueue(trx, deps, { kind: "email", key: `mail:${key}`, siteId: comment.siteId, payload: { notificationId: id } });
  } else if (r.mail === "digest") {
    await enqueue(trx, deps, digestJob(deps, r.userId));
  }
}

/** Replies, quotes and story followers: who hears about a comment readers can now see. */
async function conversation(trx: Trx, deps: Deps, event: OutboxEvent, comment: CommentSnapshot, base: NotificationData, site: SiteNotificationSettings) {
  const mode = (prefs: Prefs, which: "replies" | "mentions"): MailMode => (site.emails[which] ? prefs[which] : "off");
  const told = new Set<string>([comment.authorId]);
  if (comment.parentId) {
    const parent = await authorOf(trx, comment.parentId);
    if (parent !== undefined && !told.has(parent)) {
      told.add(parent);
      const prefs = await readPrefs(trx, parent);
      await notify(trx, deps, event, comment, base, { userId: parent, kind: "reply", mail: mode(prefs, "replies") });
    }
  }
  if (comment.quote?.source === "comment" && comment.quote.commentId) {
    const quoted = await authorOf(trx, comment.quote.commentId);
    if (quoted !== undefined && !told.has(quoted)) {
      told.add(quoted);
      const prefs = await readPrefs(trx, quoted);
      await notify(trx, deps, event, comment, base, {
        userId: quoted,
        kind: "quote",
        mail: mode(prefs, "mentions"),
        data: { excerpt: comment.quote.text.slice(0, 200) },
      });
    }
  }
  // A story may have thousands of followers: they are told by a job of their own, in batches.
  if (!comment.parentId) await enqueueFollowers(trx, deps, event, comment, base, [...told]);
}

/** The author hears what a moderator decided about their comment. */
async function outcome(
  trx: Trx,
  deps: Deps,
  event: OutboxEvent,
  comment: CommentSnapshot,
  base: NotificationData,
  kind: NotificationKind,
  site: SiteNotificationSettings,
) {
  const prefs = await readPrefs(trx, comment.authorId);
  const mail: MailMode = site.emails.moderation && prefs.moderation ? "immediate" : "off";
  await notify(trx, deps, event, comment, base, { userId: comment.authorId, kind, mail });
}

/** The readers who suggested an accepted correction hear that the story now carries it (in the app). */
async function corrected(trx: Trx, deps: Deps, event: OutboxEvent, data: Extract<OutboxEvent["data"], { type: "story.corrected" }>) {
  const { correction } = data;
  const story = await storyTitleAndUrl(trx, correction.storyId);
  for (const userId of data.readerIds) {
    await addNotification(trx, deps, {
      key: `${event.id}:correction:${userId}`,
      userId,
      kind: "correction",
      siteId: event.siteId,
      storyId: correction.storyId,
      commentId: null,
      actorId: null,
      data: { storyTitle: story?.title, storyUrl: story?.url, excerpt: correction.quote?.text.slice(0, 200), message: correction.note },
      digest: false,
      at: Date.parse(event.occurredAt),
    });
  }
}

/**
 * The work of one `event` job: webhook deliveries for the sites that subscribe, the
 * readers' notifications and e-mails, and the job that tells the story's followers. All in
 * one transaction of bounded size and keyed by the event id, so running it twice (after a
 * crash) creates nothing twice.
 */
export async function fanOut(deps: Deps, job: OutboxJobRow): Promise<void> {
  const event = JSON.parse(job.payload) as OutboxEvent;
  // Read before the transaction: inside it, a second connection from a small pool could deadlock.
  const site = await siteNotificationSettings(deps, event.siteId);
  await deps.store.db.transaction().execute(async (trx) => {
    await queueWebhooks(trx, deps, event);
    const data = event.data;
    if (data.type === "story.corrected") return corrected(trx, deps, event, data);
    if (!("comment" in data)) return;
    const comment = data.comment;
    const story = await storyTitleAndUrl(trx, comment.storyId);
    const authorName = await displayNameOf(trx, comment.authorId);
    let text: string | undefined;
    const base: NotificationData = {
      storyTitle: story?.title,
      storyUrl: story?.url,
      // Rendered only when someone is told: most comments have nobody to tell, and rendering
      // the Markdown again was 2–3% of a post's CPU.
      get excerpt() {
        return (text ??= excerpt(comment.body));
      },
      actorName: authorName,
    };
    if (data.type === "comment.created" && comment.status === "published") await conversation(trx, deps, event, comment, base, site);
    if (data.type === "comment.published") {
      await outcome(trx, deps, event, comment, base, "comment.published", site);
      await conversation(trx, deps, event, comment, base, site);
    }
    // An editor's pick is good news, told in the app only: no mail topic covers it yet.
    if (data.type === "comment.featured") {
      await notify(trx, deps, event, comment, base, { userId: comment.authorId, kind: "featured", mail: "off" });
    }
    if (data.type === "comment.rejected") {
      // The statement of reasons recorded with the decision: its explanation, and until when to appeal it.
      const statement = await latestStatement(trx, comment.id);
      const told = statement
        ? {
            message: statement.law ? `${statement.explanation} The law concerned: ${statement.law}.` : statement.explanation,
            decisionId: statement.id,
            appealUntil: Number(statement.appeal_until),
          }
        : { message: data.reason.text };
      await outcome(trx, deps, event, comment, { ...base, reasonCode: data.reason.code, ...told }, "comment.rejected", site);
    }
  });
}
