import { createHmac } from "node:crypto";
import type { Deps } from "../deps.js";
import { rateLimited } from "../errors.js";
import { abuseLimits } from "./settings.js";
import * as store from "./store.js";

const MINUTE = 60_000;
export const LOGIN_WINDOW_MS = 15 * MINUTE;
/** An address the owner signed in from stays theirs this long after the last sign-in. */
const KNOWN_FOR_MS = 180 * 24 * 60 * MINUTE;
/** The account-wide windows: `loginAttemptsPerAccount` × the factor, per window (a delay that grows as attempts pile up). */
const ACCOUNT_TIERS = [
  { name: "1m", windowMs: MINUTE, factor: 1 },
  { name: "15m", windowMs: LOGIN_WINDOW_MS, factor: 2 },
  { name: "1h", windowMs: 60 * MINUTE, factor: 4 },
  { name: "1d", windowMs: 24 * 60 * MINUTE, factor: 8 },
];

const keyed = (deps: Deps, kind: string, value: string) =>
  `login:${kind}:${createHmac("sha256", deps.config.secret).update(value).digest("hex").slice(0, 32)}`;

function locked(retryAfterMs: number, fromHere: boolean) {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE));
  const message = fromHere
    ? `Too many failed sign-ins from here; try again in ${minutes} minute${minutes === 1 ? "" : "s"}, or reset your password by e-mail.`
    : `This account is protected after many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? "" : "s"} from here, sign in where you usually do, or reset your password by e-mail.`;
  return rateLimited(retryAfterMs / 1000, message);
}

/** A sign-in attempt holding its places in the limits; `succeeded` gives them back. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
  /** The password was never checked (the server was busy): the attempt does not count. */
  abandoned(): Promise<void>;
}

/**
 * Reserves a sign-in attempt before the password is hashed, atomically, so a burst of
 * parallel guesses is cut at the limit rather than checked first: per address, whatever the
 * account (strict: `loginFailuresPerAddress` in 15 minutes), and per account from addresses that
 * never signed in to it (a growing delay), so an attacker elsewhere slows guessing without
 * locking the owner out where they usually sign in. A success gives its places back.
 */
export async function reserveSignIn(deps: Deps, email: string, ip: string | undefined): Promise<SignInAttempt> {
  const limits = await abuseLimits(deps);
  const now = deps.clock.now();
  const held: string[] = [];
  const release = () => Promise.all(held.map((key) => deps.limiter.undo(key))).then(() => undefined);
  const address = ip ?? "unknown";
  // Strict per address, across accounts: guessing many accounts' passwords from one place stops too.
  const addressKey = keyed(deps, "address", address);
  const here = await deps.limiter.hit(addressKey, limits.loginFailuresPerAddress, LOGIN_WINDOW_MS, now);
  if (!here.allowed) throw locked(here.retryAfterMs, true);
  held.push(addressKey);
  const knownKey = keyed(deps, "known", `${email}\n${address}`);
  const lastHere = await store.lastSignInFrom(deps.store.read, knownKey);
  if (lastHere === undefined || lastHere < now - KNOWN_FOR_MS) {
    for (const tier of ACCOUNT_TIERS) {
      const key = keyed(deps, `account-${tier.name}`, email);
      const hit = await deps.limiter.hit(key, limits.loginAttemptsPerAccount * tier.factor, tier.windowMs, now);
      if (!hit.allowed) {
        await release();
        throw locked(hit.retryAfterMs, false);
      }
      held.push(key);
    }
  }
  return {
    abandoned: release,
    async succeeded() {
      await release();
      await store.rememberSignInFrom(deps.store.db, knownKey, deps.clock.now());
      const signIns = await deps.limiter.hit(keyed(deps, "signed-in", email), limits.signInsPerAccountPerHour, 60 * MINUTE, deps.clock.now());
      if (!signIns.allowed) throw rateLimited(signIns.retryAfterMs / 1000, "This account has signed in too often in the last hour; try again later.");
    },
  };
}

/** After the owner proved their inbox (a password reset), the account-wide delay ends. */
export async function clearAccountDelay(deps: Deps, email: string): Promise<void> {
  for (const tier of ACCOUNT_TIERS) await deps.limiter.clear(keyed(deps, `account-${tier.name}`, email));
}
