import { createHash, randomBytes } from "node:crypto";
import type { Deps } from "../deps.js";
import { AppError, badRequest, conflict, validationFailed } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { normaliseText } from "../comments/text.js";
import type { Role, UserRow } from "../store/schema.js";
import { isUniqueViolation } from "../store/errors.js";
import type { Actor } from "./actor.js";
import { hashPassword, verifyDecoy, verifyPassword } from "./passwords.js";
import * as store from "./store.js";

const DAY = 24 * 3600 * 1000;
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 256;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw validationFailed("Enter a valid e-mail address.", { field: "email" });
  }
  return email;
}

export function normaliseDisplayName(raw: string): string {
  const name = normaliseText(raw).replace(/\s+/g, " ").trim();
  const length = [...name].length;
  if (length < 2 || length > 40) {
    throw validationFailed("Display names are 2 to 40 characters long.", { field: "displayName" });
  }
  return name;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw badRequest(ErrorCodes.WEAK_PASSWORD, `Use a password of at least ${MIN_PASSWORD} characters.`, {
      minLength: MIN_PASSWORD,
    });
  }
}

export interface Session {
  token: string;
  user: UserRow;
}

async function openSession(deps: Deps, user: UserRow): Promise<Session> {
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  await store.insertSession(deps.store.db, {
    id: deps.ids.next(),
    user_id: user.id,
    token_hash: hashToken(token),
    created_at: now,
    expires_at: now + deps.config.sessionDays * DAY,
  });
  return { token, user };
}

export async function createUser(
  deps: Deps,
  input: { email: string; password: string; displayName: string; role?: Role },
): Promise<UserRow> {
  const email = normaliseEmail(input.email);
  checkPassword(input.password);
  const user: UserRow = {
    id: deps.ids.next(),
    email,
    password_hash: await hashPassword(input.password, deps.config.passwordMemoryKiB),
    display_name: normaliseDisplayName(input.displayName),
    role: input.role ?? "commenter",
    status: "active",
    suspended_until: null,
    created_at: deps.clock.now(),
    premod: 0,
    warning: null,
  };
  try {
    await store.insertUser(deps.store.db, user);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(ErrorCodes.EMAIL_TAKEN, "An account with this e-mail already exists.");
    throw error;
  }
  return user;
}

export async function signup(
  deps: Deps,
  input: { email: string; password: string; displayName: string },
): Promise<Session> {
  return openSession(deps, await createUser(deps, input));
}

export async function login(deps: Deps, input: { email: string; password: string }): Promise<Session> {
  const refused = new AppError(401, ErrorCodes.INVALID_CREDENTIALS, "The e-mail or password is wrong.");
  let email: string;
  try {
    email = normaliseEmail(input.email);
  } catch {
    throw refused;
  }
  const user = await store.findUserByEmail(deps.store.db, email);
  if (!user?.password_hash) {
    await verifyDecoy(input.password, deps.config.passwordMemoryKiB);
    throw refused;
  }
  if (!(await verifyPassword(user.password_hash, input.password))) throw refused;
  return openSession(deps, user);
}

export async function logout(deps: Deps, actor: Actor): Promise<void> {
  await store.deleteSession(deps.store.db, actor.sessionId);
}

/** The actor behind a bearer token; sessions slide forward at most once a day. */
export async function authenticate(deps: Deps, token: string): Promise<Actor | null> {
  if (token.length < 20 || token.length > 200) return null;
  const now = deps.clock.now();
  const found = await store.findSession(deps.store.read, hashToken(token), now);
  if (!found) return null;
  if (now - found.lastSeenAt > DAY) {
    await store.touchSession(deps.store.db, found.sessionId, now, now + deps.config.sessionDays * DAY);
  }
  return { user: found.user, sessionId: found.sessionId };
}
