import type { Deps } from "../deps.js";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import type { AccountUserRow } from "../store/schema.js";
import type { Actor } from "./actor.js";
import { withEvents } from "../events/spine.js";
import { hashPassword } from "./passwords.js";
import { checkNewPassword } from "./password-rules.js";
import { accountSettings } from "./settings.js";
import { issueAccountToken, spendAccountToken } from "./tokens.js";
import * as store from "./store.js";
import { createHmac } from "node:crypto";
import { abuseLimits } from "./settings.js";
import { clearAccountDelay } from "./throttle.js";

const HOUR = 3600_000;

/**
 * Issues a link's token and queues the mail that carries it in one transaction: the mail
 * exists exactly when its token does. The request never waits on SMTP; the outbox worker
 * sends the mail, with retries, whenever SMTP answers.
 */
async function mailLink(deps: Deps, userId: string, mail: "verify" | "reset"): Promise<void> {
  await withEvents(deps, async (trx, emit) => {
    const link = await issueAccountToken(deps, trx, userId, mail);
    await emit(trx, { type: "account.mail", mail, userId, link: { tokenId: link.id, token: link.token } });
  });
}

/**
 * Takes one of the address's account mails for this hour (`accountMailsPerAddressPerHour`):
 * false when they are used up, so sign-ups cannot be used to flood someone's inbox.
 */
export async function takeAccountMail(deps: Deps, email: string): Promise<{ allowed: boolean; retryAfterMs: number }> {
  const limit = (await abuseLimits(deps)).accountMailsPerAddressPerHour;
  const key = `account-mail:${createHmac("sha256", deps.config.secret).update(email).digest("hex").slice(0, 32)}`;
  return deps.limiter.hit(key, limit, HOUR, deps.clock.now());
}

/** Mails the link that confirms the address, unless this hour's account mail to it was sent already. */
export async function mailVerification(
  deps: Deps,
  user: Pick<AccountUserRow, "id" | "email"> & Partial<Pick<AccountUserRow, "email_verified_at">>,
): Promise<{ sent: boolean; retryAfterMs: number }> {
  if (!user.email || user.email_verified_at) return { sent: false, retryAfterMs: 0 };
  const quota = await takeAccountMail(deps, user.email);
  if (!quota.allowed) return { sent: false, retryAfterMs: quota.retryAfterMs };
  await mailLink(deps, user.id, "verify");
  return { sent: true, retryAfterMs: 0 };
}

/** Tells the owner of `email` (not the caller) that someone tried to sign up with it; once an hour at most. */
export async function mailAlreadyRegistered(deps: Deps, email: string): Promise<void> {
  const owner = await store.findUserByEmail(deps.store.db, email);
  if (!owner || !(await takeAccountMail(deps, email)).allowed) return;
  await withEvents(deps, (trx, emit) => emit(trx, { type: "account.mail", mail: "already-registered", userId: owner.id }));
}

export async function verifyEmail(deps: Deps, token: string): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    const userId = await spendAccountToken(deps, trx, token, "verify");
    await store.updateUser(trx, userId, { email_verified_at: deps.clock.now() });
  });
}

/** Answers the same whether or not the address has an account; at most one live link per account. */
export async function requestPasswordReset(deps: Deps, email: string): Promise<void> {
  const user = await store.findUserByEmail(deps.store.db, email);
  if (!user) return;
  await mailLink(deps, user.id, "reset");
}

/**
 * Sets the new password, proves the inbox (so the address counts as verified), ends every
 * session, and lifts the account-wide sign-in delay: an owner locked out by someone else's
 * guessing gets back in through the mailed link.
 */
export async function confirmPasswordReset(deps: Deps, token: string, password: string): Promise<void> {
  checkNewPassword(password);
  const hash = await hashPassword(password, deps.config.passwordMemoryKiB);
  const userId = await deps.store.db.transaction().execute(async (trx) => {
    const userId = await spendAccountToken(deps, trx, token, "reset");
    const now = deps.clock.now();
    await store.updateUser(trx, userId, { password_hash: hash, email_verified_at: now });
    await store.deleteSessionsOf(trx, userId);
    return userId;
  });
  const user = await store.findUserById(deps.store.db, userId);
  if (user?.email) await clearAccountDelay(deps, user.email);
}

/** When a site requires it, a local account needs a verified e-mail to post there. */
export async function assertMayPost(deps: Deps, actor: Actor, siteId: string): Promise<void> {
  const user = actor.user as Partial<AccountUserRow>;
  if (!user.password_hash || user.email_verified_at) return;
  if (!(await accountSettings(deps, siteId)).requireVerifiedEmail) return;
  throw new AppError(403, ErrorCodes.EMAIL_NOT_VERIFIED, "Confirm your e-mail address before posting here.");
}
