import type { Kysely, Transaction } from "kysely";
import type { Deps } from "../deps.js";
import * as store from "../accounts/store.js";
import type { AccountMailKind } from "../events/types.js";
import type { Database, OutboxJobRow } from "../store/schema.js";
import { enqueue, updatePayload } from "./outbox.js";
import { readPrefs } from "./prefs.js";
import { sendJobMail } from "./smtp.js";
import { type MailContent, renderAccountMail } from "./templates.js";

/**
 * What an `account-mail` job carries. No address: the worker reads the account's address
 * when it sends, so none waits in the outbox. The link's token waits only until SMTP has
 * accepted the mail (see `sendAccountMail`).
 */
export interface AccountMailJob {
  mail: AccountMailKind;
  userId: string;
  link?: { tokenId: string; token: string };
  /** SMTP accepted the mail; the token has been dropped from the job. */
  sent?: true;
}

interface AccountMail {
  to: string;
  content: MailContent;
}

/** Queues an account mail in the transaction of the `account.mail` event: with a link, the one that issued its token. */
export async function enqueueAccountMail(
  trx: Kysely<Database> | Transaction<Database>,
  deps: Deps,
  job: Omit<AccountMailJob, "sent">,
): Promise<void> {
  await enqueue(trx, deps, { kind: "account-mail", payload: job });
}

/** Links carry the token in the fragment, so it never reaches a server log or a Referer. */
const linkTo = (deps: Deps, page: "verify" | "reset", token: string) => `${deps.config.publicUrl}/auth/${page}#token=${token}`;

/**
 * The mail as it goes out now, or null when there is nothing worth sending now: the
 * account or its address is gone, the address is verified already, or the link was used,
 * expired or replaced by a newer one while SMTP was away. It is written in the account's
 * language (its notification settings), English for an account that chose none.
 */
async function compose(deps: Deps, job: AccountMailJob): Promise<AccountMail | null> {
  const user = await store.findUserById(deps.store.db, job.userId);
  if (!user?.email) return null;
  const { lang } = await readPrefs(deps.store.db, user.id);
  const mail = { lang, name: user.display_name };
  if (job.mail === "already-registered") {
    return { to: user.email, content: renderAccountMail({ ...mail, kind: "alreadyRegistered", url: `${deps.config.publicUrl}/auth/reset` }) };
  }
  if (!job.link || (job.mail === "verify" && user.email_verified_at)) return null;
  if (!(await store.isAccountTokenLive(deps.store.db, job.link.tokenId, deps.clock.now()))) return null;
  return { to: user.email, content: renderAccountMail({ ...mail, kind: job.mail, url: linkTo(deps, job.mail, job.link.token) }) };
}

/**
 * An `account-mail` job. Throws (so the job retries with backoff, then dead-letters) while
 * SMTP is unreachable; without SMTP_HOST nothing is sent and the job ends. Once the mail is accepted the token is dropped from the job: it
 * does not sit in a done job for a week, and an attempt after a crash that fell between
 * the drop and the job's commit finds nothing left to send.
 */
export async function sendAccountMail(deps: Deps, job: OutboxJobRow, worker: string): Promise<void> {
  const payload = JSON.parse(job.payload) as AccountMailJob;
  if (payload.sent) return;
  const mail = await compose(deps, payload);
  if (mail) {
    // No SMTP configured means the site sends no mail: the job ends; it is not an outage to retry.
    if (!(await sendJobMail(deps, job.key, mail))) {
      deps.log.info({ job: job.id, mail: payload.mail }, "account mail not sent: SMTP_HOST is not set");
      await updatePayload(deps.store.db, deps, job, worker, { mail: payload.mail, userId: payload.userId, sent: true });
      return;
    }
  } else {
    deps.log.info({ job: job.id, mail: payload.mail }, "account mail not sent: its link or address no longer applies");
  }
  const done: AccountMailJob = { mail: payload.mail, userId: payload.userId, sent: true };
  await updatePayload(deps.store.db, deps, job, worker, done);
}
