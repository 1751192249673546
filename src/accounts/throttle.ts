import { createHmac } from "node:crypto";
import type { Deps } from "../deps.js";
import { rateLimited } from "../errors.js";
import * as store from "./store.js";

/** Default: 5 failed sign-ins in 15 minutes, per account and per IP, then 429 until the window ends. */
export const LOGIN_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

const keyed = (deps: Deps, kind: string, value: string) =>
  `login-fail:${kind}:${createHmac("sha256", deps.config.secret).update(value).digest("hex").slice(0, 32)}`;

function keysFor(deps: Deps, email: string, ip: string | undefined): string[] {
  return [keyed(deps, "account", email), ...(ip ? [keyed(deps, "ip", ip)] : [])];
}

/**
 * Counts failures only (a successful sign-in costs nothing), so the check has to read the
 * counters before the password is tried: an account under attack stays closed even to the
 * right password until the window ends.
 */
export async function assertNotThrottled(deps: Deps, email: string, ip: string | undefined): Promise<void> {
  const now = deps.clock.now();
  const windowStart = now - (now % LOGIN_WINDOW_MS);
  for (const key of keysFor(deps, email, ip)) {
    if ((await store.failuresIn(deps.store.db, key, windowStart)) >= LOGIN_FAILURES) {
      throw rateLimited((windowStart + LOGIN_WINDOW_MS - now) / 1000, "Too many failed sign-ins; try again later.");
    }
  }
}

export async function recordLoginFailure(deps: Deps, email: string, ip: string | undefined): Promise<void> {
  const now = deps.clock.now();
  const windowStart = now - (now % LOGIN_WINDOW_MS);
  for (const key of keysFor(deps, email, ip)) await store.recordFailure(deps.store.db, key, windowStart);
}
