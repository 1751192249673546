import type { Kysely, Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { Database, OutboxJobRow } from "../store/schema.js";
import { enqueue } from "./outbox.js";
import { sendJobMail } from "./smtp.js";
import { noticeForMail, siteAdminIds, verifiedEmailOf } from "./store.js";
import { type MailContent, escapeHtml } from "./templates.js";

/**
 * What a `compliance-mail` job carries: never an address. The notifier's address is read from
 * the notice, an admin's from the account, when the mail goes out.
 */
export type ComplianceMailJob =
  | { mail: "notice-receipt" | "notice-decision"; noticeId: string }
  | { mail: "backlog"; siteId: string; userId: string; pending: number; oldestPendingAt: number; minutes: number };

type Writer = Kysely<Database> | Transaction<Database>;

/** Queues a notifier's receipt or decision mail, once per notice and kind. */
export async function enqueueNoticeMail(trx: Writer, deps: Deps, job: { mail: "notice-receipt" | "notice-decision"; noticeId: string }): Promise<void> {
  await enqueue(trx, deps, { kind: "compliance-mail", key: `${job.mail}:${job.noticeId}`, payload: job });
}

/** Queues one backlog mail to each admin of the site (global admins and the site's own). */
export async function enqueueBacklogMail(
  trx: Writer,
  deps: Deps,
  alert: { siteId: string; pending: number; oldestPendingAt: number; minutes: number },
): Promise<void> {
  for (const userId of await siteAdminIds(trx, alert.siteId)) {
    const job: ComplianceMailJob = { mail: "backlog", userId, ...alert };
    await enqueue(trx, deps, { kind: "compliance-mail", key: `backlog:${alert.siteId}:${alert.oldestPendingAt}:${userId}`, siteId: alert.siteId, payload: job });
  }
}

const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

function content(subject: string, paragraphs: string[]): MailContent {
  return {
    subject,
    text: `${paragraphs.join("\n\n")}\n`,
    html: `<!doctype html><html><body style="font:16px/1.5 system-ui,sans-serif">${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("")}</body></html>`,
  };
}

/** The mail a job sends now, or null when there is nobody to send it to. */
async function compose(deps: Deps, job: ComplianceMailJob): Promise<{ to: string; content: MailContent } | null> {
  if (job.mail === "backlog") {
    const to = await verifiedEmailOf(deps.store.db, job.userId);
    if (!to) return null;
    const waited = Math.max(0, Math.round((deps.clock.now() - job.oldestPendingAt) / 60_000));
    return {
      to,
      content: content("Comments are waiting for moderation", [
        `${job.pending} ${job.pending === 1 ? "comment waits" : "comments wait"} for a moderator; the oldest has waited ${waited} minutes (the alert is set at ${job.minutes} minutes).`,
        `Open the desk: ${deps.config.publicUrl}/admin`,
        "You get this once until the queue is cleared again.",
      ]),
    };
  }
  const notice = await noticeForMail(deps.store.db, job.noticeId);
  if (!notice?.reporter_email) return null;
  const story = notice.story_title ? `“${notice.story_title}”` : "a story";
  if (job.mail === "notice-receipt") {
    return {
      to: notice.reporter_email,
      content: content("We received your notice", [
        `We received your notice of illegal content about a comment on ${story} on ${when(Number(notice.created_at))}.`,
        `The law you named: ${notice.law}.`,
        "A moderator will review the comment, and we will write to you with the decision.",
      ]),
    };
  }
  const outcome =
    notice.status === "actioned"
      ? `After reviewing your notice, we removed the comment on ${story}.`
      : notice.status === "dismissed"
        ? `After reviewing your notice, we decided to keep the comment on ${story}: we did not find it illegal under the law you named (${notice.law}), nor against our terms.`
        : `The comment you notified on ${story} was deleted by its author before a moderator decided.`;
  return {
    to: notice.reporter_email,
    content: content("The decision on your notice", [outcome, `Decided on ${when(Number(notice.decided_at ?? notice.created_at))}.`]),
  };
}

/**
 * A `compliance-mail` job: a notifier's receipt or decision, or an admin's backlog alert.
 * Throws while SMTP is unreachable (the job retries); without SMTP_HOST nothing is sent.
 */
export async function sendComplianceMail(deps: Deps, job: OutboxJobRow): Promise<void> {
  const payload = JSON.parse(job.payload) as ComplianceMailJob;
  const mail = await compose(deps, payload);
  if (!mail) return;
  if (!(await sendJobMail(deps, job.key, mail))) {
    deps.log.info({ job: job.id, mail: payload.mail }, "compliance mail not sent: SMTP_HOST is not set");
  }
}
