import type { Deps } from "../deps.js";
import type { OutboxJobRow } from "../store/schema.js";
import { commentUrl, type NotificationData } from "./inbox.js";
import { findNotification, takeDigestItems, verifiedAddress } from "./store.js";
import type { NewJob } from "./outbox.js";
import { readPrefs, siteNotificationSettings } from "./prefs.js";
import { type DigestItem, type MailContent, renderDigest, renderSingle } from "./templates.js";
import { messageIdFor, transportFor } from "./smtp.js";
import { type Topic, unsubscribeUrl } from "./unsubscribe.js";

const DIGEST_ITEMS = 20;

/**
 * Sends through the shared SMTP transport; throws (so the job retries) when it cannot.
 * Without SMTP_HOST the site sends no mail at all: the job ends without one.
 */
async function send(deps: Deps, job: OutboxJobRow, to: string, content: MailContent, unsubscribe: string): Promise<void> {
  const transport = await transportFor(deps.config);
  if (!transport) {
    deps.log.info({ job: job.id }, "mail not sent: SMTP_HOST is not set");
    return;
  }
  await transport.sendMail({
    from: deps.config.smtp.from,
    to,
    subject: content.subject,
    text: content.text,
    html: content.html,
    messageId: messageIdFor(deps, job.key),
    headers: {
      "List-Unsubscribe": `<${unsubscribe}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "Auto-Submitted": "auto-generated",
    },
  });
}

const MAIL_KIND = {
  reply: { template: "reply", topic: "replies" },
  quote: { template: "quote", topic: "mentions" },
  "comment.published": { template: "published", topic: "moderation" },
  "comment.rejected": { template: "rejected", topic: "moderation" },
} as const;

/**
 * An `email` job: one notification mailed at once. The reader's choices are read again
 * at send time, so an unsubscribe between the event and the mail is honoured.
 */
export async function sendNotificationMail(deps: Deps, job: OutboxJobRow): Promise<void> {
  const { notificationId } = JSON.parse(job.payload) as { notificationId: string };
  const n = await findNotification(deps.store.db, notificationId);
  if (!n || !(n.kind in MAIL_KIND)) return;
  const kind = MAIL_KIND[n.kind as keyof typeof MAIL_KIND];
  const prefs = await readPrefs(deps.store.db, n.user_id);
  const site = await siteNotificationSettings(deps, n.site_id);
  const wanted =
    kind.topic === "moderation"
      ? prefs.moderation && site.emails.moderation
      : prefs[kind.topic] === "immediate" && site.emails[kind.topic];
  if (!wanted) return;
  const to = await verifiedAddress(deps.store.db, n.user_id);
  if (!to) return;
  const data = JSON.parse(n.data) as NotificationData;
  const unsubscribe = unsubscribeUrl(deps, n.user_id, kind.topic);
  const content = renderSingle({
    lang: prefs.lang,
    kind: kind.template,
    actor: data.actorName ?? "",
    story: data.storyTitle ?? "",
    excerpt: data.excerpt ?? "",
    url: commentUrl(data.storyUrl, n.comment_id),
    reason: data.reasonCode ?? null,
    explanation: n.kind === "comment.rejected" && data.decisionId ? (data.message ?? null) : null,
    appealUntil: data.appealUntil ?? null,
    topic: kind.topic as Topic,
    unsubscribeUrl: unsubscribe,
  });
  await send(deps, job, to, content, unsubscribe);
}

/** The next digest time after `now`: today's digest hour, or tomorrow's. */
export function nextDigestAt(now: number, hourUtc: number): number {
  const day = new Date(now);
  const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hourUtc);
  return at > now ? at : at + 24 * 3600_000;
}

/** A reader's next daily digest: one job per reader and day, whatever it collects. */
export function digestJob(deps: Deps, userId: string): NewJob {
  const dueAt = nextDigestAt(deps.clock.now(), deps.config.outbox.digestHourUtc);
  const day = new Date(dueAt).toISOString().slice(0, 10);
  return { kind: "digest", key: `digest:${userId}:${day}`, payload: { userId }, dueAt };
}

/**
 * A `digest` job: the first attempt takes the reader's waiting items (marks them with the
 * job's key), and every attempt mails exactly those, so a retry sends the same mail.
 */
export async function sendDigest(deps: Deps, job: OutboxJobRow): Promise<void> {
  const { userId } = JSON.parse(job.payload) as { userId: string };
  const db = deps.store.db;
  const rows = await takeDigestItems(db, userId, job.key, DIGEST_ITEMS + 1000);
  if (rows.length === 0) return;
  const to = await verifiedAddress(db, userId);
  if (!to) return;
  const prefs = await readPrefs(db, userId);
  const items: DigestItem[] = rows.slice(0, DIGEST_ITEMS).map((n) => {
    const data = JSON.parse(n.data) as NotificationData;
    return {
      kind: n.kind === "quote" ? "quote" : n.kind === "reply" ? "reply" : "story.comment",
      actor: data.actorName ?? "",
      story: data.storyTitle ?? "",
      excerpt: data.excerpt ?? "",
      url: commentUrl(data.storyUrl, n.comment_id),
    };
  });
  const unsubscribe = unsubscribeUrl(deps, userId, "digest");
  const content = renderDigest({ lang: prefs.lang, items, more: rows.length - items.length, unsubscribeUrl: unsubscribe });
  await send(deps, job, to, content, unsubscribe);
}
