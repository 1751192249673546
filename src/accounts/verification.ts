import type { Deps } from "../deps.js";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import type { AccountUserRow } from "../store/schema.js";
import type { Actor } from "./actor.js";
import { sendInBackground } from "./email.js";
import { hashPassword } from "./passwords.js";
import { checkNewPassword } from "./password-rules.js";
import { accountSettings } from "./settings.js";
import { issueAccountToken, spendAccountToken } from "./tokens.js";
import * as store from "./store.js";

/** Links carry the token in the fragment, so it never reaches a server log or a Referer. */
const link = (deps: Deps, page: "verify" | "reset", token: string) => `${deps.config.publicUrl}/auth/${page}#token=${token}`;

export async function mailVerification(
  deps: Deps,
  user: Pick<AccountUserRow, "id" | "email"> & Partial<Pick<AccountUserRow, "email_verified_at">>,
) {
  if (!user.email || user.email_verified_at) return;
  const token = await issueAccountToken(deps, user.id, "verify");
  sendInBackground(
    deps,
    {
      to: user.email,
      subject: "Confirm your e-mail address",
      text: `Confirm this address for your Parley account by opening this link within an hour:\n\n${link(deps, "verify", token)}\n\nIf you did not sign up, ignore this mail.`,
    },
    "verify",
  );
}

export function mailAlreadyRegistered(deps: Deps, email: string): void {
  sendInBackground(
    deps,
    {
      to: email,
      subject: "You already have an account",
      text: `Someone (perhaps you) tried to sign up with this address, which already has an account.\nSign in instead, or reset your password at ${deps.config.publicUrl}/auth/reset.\n\nIf it was not you, ignore this mail; nothing changed.`,
    },
    "already-registered",
  );
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
  const token = await issueAccountToken(deps, user.id, "reset");
  sendInBackground(
    deps,
    {
      to: email,
      subject: "Reset your password",
      text: `Choose a new password for your Parley account within an hour:\n\n${link(deps, "reset", token)}\n\nIf you did not ask for this, ignore this mail; your password stays as it is.`,
    },
    "reset",
  );
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
