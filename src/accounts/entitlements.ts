import type { JWTPayload } from "jose";
import type { AccountUserRow, UserRow } from "../store/schema.js";

const ENTITLEMENT = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

/** The entitlements a sign-in's claim grants: a string or a list of strings, lower-cased; anything else grants none. */
export function entitlementsFromClaim(payload: JWTPayload | Record<string, unknown>, claim: string | null): string[] {
  if (!claim) return [];
  const raw: unknown = (payload as Record<string, unknown>)[claim];
  const values = typeof raw === "string" ? raw.split(/[\s,]+/) : Array.isArray(raw) ? raw : [];
  const clean = values
    .filter((v): v is string => typeof v === "string")
    .map((v) => v.trim().toLowerCase())
    .filter((v) => ENTITLEMENT.test(v));
  return [...new Set(clean)].slice(0, 20);
}

/** A user's stored entitlements (from their last sign-in). */
export function entitlementsOf(user: UserRow & Partial<Pick<AccountUserRow, "entitlements">>): string[] {
  try {
    const parsed: unknown = JSON.parse(user.entitlements ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

export const isSubscriber = (user: UserRow) => entitlementsOf(user).includes("subscriber");
