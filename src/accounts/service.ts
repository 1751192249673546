import { createHmac, randomBytes } from "node:crypto";
import type { Deps } from "../deps.js";
import { AppError, rateLimited, validationFailed } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import type { AccountUserRow, Role, UserRow } from "../store/schema.js";
import { isUniqueViolation } from "../store/errors.js";
import { DEFAULT_SITE_ID } from "../site/service.js";
import type { Actor } from "./actor.js";
import { hashPassword, verifyDecoy, verifyPassword } from "./passwords.js";
import { checkNewPassword } from "./password-rules.js";
import { assertNameAllowed, gravatarUrl, normaliseDisplayName } from "./profiles.js";
import { accountSettings } from "./settings.js";
import { hashToken } from "./tokens.js";
import { reserveSignIn } from "./throttle.js";
import { mailAlreadyRegistered, mailVerification } from "./verification.js";
import { recordRoleGrant } from "./role-grants.js";
import * as store from "./store.js";

export { hashToken } from "./tokens.js";
export { normaliseDisplayName } from "./profiles.js";

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

/** Where a request came from, for throttling and for the session list on /me. */
export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw validationFailed("Enter a valid e-mail address.", { field: "email" });
  }
  return email;
}

export interface Session {
  token: string;
  user: AccountUserRow;
}

export async function openSession(
  deps: Deps,
  user: AccountUserRow,
  method: "password" | "sso" | "oidc" | "reset",
  meta: RequestMeta = {},
): Promise<Session> {
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  await store.insertSession(deps.store.db, {
    id: deps.ids.next(),
    user_id: user.id,
    token_hash: hashToken(token),
    created_at: now,
    expires_at: now + deps.config.sessionDays * DAY,
    user_agent: meta.userAgent?.slice(0, 200) ?? null,
    method,
  });
  return { token, user };
}

/** Creates a local account (the CLI and tests call this directly; it sends no mail). */
export async function createUser(
  deps: Deps,
  input: {
    email: string | null;
    password: string;
    displayName: string;
    /** Given by the command line or a test, never by a request: the grant is written to the audit log. */
    role?: Role;
    grantedBy?: string | null;
  },
): Promise<AccountUserRow> {
  const email = input.email === null ? null : normaliseEmail(input.email);
  checkNewPassword(input.password, { email });
  const displayName = normaliseDisplayName(input.displayName);
  const skeleton = await assertNameAllowed(deps, displayName, null);
  const gravatar = email !== null && (await accountSettings(deps, DEFAULT_SITE_ID)).gravatar;
  const user: AccountUserRow = {
    id: deps.ids.next(),
    email,
    password_hash: await hashPassword(input.password, deps.config.passwordMemoryKiB),
    display_name: displayName,
    role: input.role ?? "commenter",
    status: "active",
    suspended_until: null,
    created_at: deps.clock.now(),
    premod: 0,
    warning: null,
    site_id: null,
    email_verified_at: null,
    avatar_url: gravatar && email ? gravatarUrl(email) : null,
    badges: null,
    entitlements: "[]",
    // Only names of staff are protected, so only theirs are kept (see profiles.ts).
    name_skeleton: (input.role ?? "commenter") === "commenter" ? null : skeleton,
  };
  try {
    await deps.store.db.transaction().execute(async (trx) => {
      await store.insertUser(trx, user);
      if (user.role !== "commenter") await recordRoleGrant(deps, trx, user, input.grantedBy ?? null);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError(409, ErrorCodes.EMAIL_TAKEN, "An account with this e-mail already exists.");
    throw error;
  }
  return user;
}

/**
 * Signs up and signs in at once (201 { user, token }). A known e-mail gets the same answer:
 * the caller receives a fresh account that holds no e-mail (so it can never be verified or
 * recovered), and the address's owner receives a notice instead of a verification link.
 */
export async function signup(
  deps: Deps,
  input: { email: string; password: string; displayName: string },
  meta: RequestMeta = {},
): Promise<Session> {
  const email = normaliseEmail(input.email);
  await limitSignups(deps, email, meta.ip);
  // Look first, so both paths hash the password exactly once and take the same time.
  const known = (await store.findUserByEmail(deps.store.db, email)) !== undefined;
  // Only these three fields: a request never names a role, a status or anything else it would grant itself.
  const account = { password: input.password, displayName: input.displayName };
  let user: AccountUserRow;
  try {
    user = await createUser(deps, { ...account, email: known ? null : email });
  } catch (error) {
    // Two sign-ups with one new address at once: the loser is answered like a known address.
    if (!(error instanceof AppError) || error.code !== ErrorCodes.EMAIL_TAKEN) throw error;
    user = await createUser(deps, { ...account, email: null });
    await mailAlreadyRegistered(deps, email);
    return openSession(deps, user, "password", meta);
  }
  if (known) await mailAlreadyRegistered(deps, email);
  else await mailVerification(deps, user);
  return openSession(deps, user, "password", meta);
}

/** Sign-ups per address and per e-mail domain in an hour, counted before the password is hashed. */
async function limitSignups(deps: Deps, email: string, ip: string | undefined): Promise<void> {
  const limits = (await accountSettings(deps, DEFAULT_SITE_ID)).limits;
  const now = deps.clock.now();
  const key = (kind: string, value: string) => `signup:${kind}:${createHmac("sha256", deps.config.secret).update(value).digest("hex").slice(0, 32)}`;
  const fromHere = await deps.limiter.hit(key("address", ip ?? "unknown"), limits.signupsPerAddressPerHour, HOUR, now);
  if (!fromHere.allowed) throw rateLimited(fromHere.retryAfterMs / 1000, "Too many new accounts from here in the last hour; try again later.");
  const domain = await deps.limiter.hit(key("domain", email.slice(email.lastIndexOf("@") + 1)), limits.signupsPerDomainPerHour, HOUR, now);
  if (!domain.allowed) throw rateLimited(domain.retryAfterMs / 1000, "Too many new accounts with this e-mail provider in the last hour; try again later.");
}

/** Same answer, status and (about) time for a wrong password and an unknown e-mail. */
export async function login(
  deps: Deps,
  input: { email: string; password: string },
  meta: RequestMeta = {},
): Promise<Session> {
  const refused = new AppError(401, ErrorCodes.INVALID_CREDENTIALS, "The e-mail or password is wrong.");
  const email = input.email.trim().toLowerCase().slice(0, 320);
  const attempt = await reserveSignIn(deps, email, meta.ip);
  const user = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? await store.findUserByEmail(deps.store.db, email) : undefined;
  let ok: boolean;
  try {
    ok = user?.password_hash
      ? await verifyPassword(user.password_hash, input.password)
      : (await verifyDecoy(input.password, deps.config.passwordMemoryKiB), false);
  } catch (error) {
    await attempt.abandoned();
    throw error;
  }
  if (!user || !ok) throw refused;
  await attempt.succeeded();
  return openSession(deps, user, "password", meta);
}

export async function logout(deps: Deps, actor: Actor): Promise<void> {
  await store.deleteSession(deps.store.db, actor.sessionId);
}

export async function logoutEverywhere(deps: Deps, actor: Actor): Promise<void> {
  await store.deleteSessionsOf(deps.store.db, actor.user.id);
}

/** The actor behind a bearer token, with their site roles; sessions slide forward at most once a day. */
export async function authenticate(deps: Deps, token: string): Promise<Actor | null> {
  if (token.length < 20 || token.length > 200) return null;
  const now = deps.clock.now();
  const found = await store.findSession(deps.store.read, hashToken(token), now);
  if (!found) return null;
  if (now - found.lastSeenAt > DAY) {
    await store.touchSession(deps.store.db, found.sessionId, now, now + deps.config.sessionDays * DAY);
  }
  const siteRoles = await store.siteRolesOf(deps.store.read, found.user.id);
  return { user: found.user as UserRow, sessionId: found.sessionId, siteRoles };
}
