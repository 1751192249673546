import type { Deps } from "../deps.js";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import type { AccountUserRow } from "../store/schema.js";
import type { Actor } from "./actor.js";
import { enqueueAccountMail } from "./email.js";
import { hashPassword } from "./passwords.js";
import { checkNewPassword } from "./password-rules.js";
import { accountSettings } from "./settings.js";
import { issueAccountToken, spendAccountToken } from "./tokens.js";
import * as store from "./store.js";

/**
 * Issues a link's token and queues the mail that carries it in one transaction: the mail
 * exists exactly when its token does. The request never waits on SMTP; the outbox worker
 * sends the mail, with retries, whenever SMTP answers.
 */
async function mailLink(deps: Deps, userId: string, mail: "verify" | "reset"): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    const link = await issueAccountToken(deps, trx, userId, mail);
    await enqueueAccountMail(trx, deps, { mail, userId, link: { tokenId: link.id, token: link.token } });
  });
}

export async function mailVerification(
  deps: Deps,
  user: Pick<AccountUserRow, "id" | "email"> & Partial<Pick<AccountUserRow, "email_verified_at">>,
): Promise<void> {
  if (!user.email || user.email_verified_at) return;
  await mailLink(deps, user.id, "verify");
}

/** Tells the owner of `email` (not the caller) that someone tried to sign up with it. */
export async function mailAlreadyRegistered(deps: Deps, email: string): Promise<void> {
  const owner = await store.findUserByEmail(deps.store.db, email);
  if (owner) await enqueueAccountMail(deps.store.db, deps, { mail: "already-registered", userId: owner.id });
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

/** Sets the new password, proves the inbox (so the address counts as verified) and ends every session. */
export async function confirmPasswordReset(deps: Deps, token: string, password: string): Promise<void> {
  checkNewPassword(password);
  const hash = await hashPassword(password, deps.config.passwordMemoryKiB);
  await deps.store.db.transaction().execute(async (trx) => {
    const userId = await spendAccountToken(deps, trx, token, "reset");
    const now = deps.clock.now();
    await store.updateUser(trx, userId, { password_hash: hash, email_verified_at: now });
    await store.deleteSessionsOf(trx, userId);
  });
}

/** When a site requires it, a local account needs a verified e-mail to post there. */
export async function assertMayPost(deps: Deps, actor: Actor, siteId: string): Promise<void> {
  const user = actor.user as Partial<AccountUserRow>;
  if (!user.password_hash || user.email_verified_at) return;
  if (!(await accountSettings(deps, siteId)).requireVerifiedEmail) return;
  throw new AppError(403, ErrorCodes.EMAIL_NOT_VERIFIED, "Confirm your e-mail address before posting here.");
}
