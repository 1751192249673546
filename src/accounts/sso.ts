import { type JWTPayload, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as jose, jwtVerify } from "jose";
import type { Deps } from "../deps.js";
import { AppError } from "../errors.js";
import { type ErrorCode, ErrorCodes } from "../shared/codes.js";
import { listSites } from "../site/service.js";
import type { AccountUserRow } from "../store/schema.js";
import { isUniqueViolation } from "../store/errors.js";
import { normaliseDisplayName, nameSkeleton, safeAvatarUrl } from "./profiles.js";
import { type RequestMeta, type Session, openSession } from "./service.js";
import { accountSettings, type AccountSettings } from "./settings.js";
import * as store from "./store.js";
import { recordRoleGrant } from "./role-grants.js";
import { userForIdentity } from "./identities.js";
import { entitlementsFromClaim } from "./entitlements.js";

/** At most this far ahead: a publisher's token is a short-lived ticket, not a session. */
export const SSO_MAX_LIFETIME_S = 3600;
const SKEW_S = 60;
const ASYMMETRIC = ["RS256", "ES256"] as const;

const refuse = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(401, code, message, details);

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function jwksFor(url: string) {
  let set = jwksCache.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    jwksCache.set(url, set);
  }
  return set;
}

function mapJoseError(error: unknown): AppError {
  if (error instanceof jose.JWTExpired) return refuse(ErrorCodes.SSO_EXPIRED, "The sign-in token has expired.");
  if (error instanceof jose.JWTClaimValidationFailed) {
    if (error.claim === "aud") return refuse(ErrorCodes.SSO_WRONG_AUDIENCE, "The sign-in token is for another site.");
    if (error.claim === "iat")
      return refuse(ErrorCodes.SSO_ISSUED_IN_FUTURE, "The sign-in token was issued in the future.");
    return refuse(ErrorCodes.SSO_MISSING_CLAIM, "The sign-in token lacks a required claim.", { claim: error.claim });
  }
  if (error instanceof jose.JOSEAlgNotAllowed)
    return refuse(ErrorCodes.SSO_ALGORITHM_REFUSED, "This signing algorithm is not accepted.");
  if (error instanceof jose.JWKSNoMatchingKey || error instanceof jose.JWSSignatureVerificationFailed)
    return refuse(ErrorCodes.SSO_BAD_SIGNATURE, "The sign-in token's signature does not verify.");
  if (error instanceof jose.JWKSTimeout || error instanceof jose.JWKSInvalid)
    return new AppError(503, ErrorCodes.SERVICE_UNAVAILABLE, "The publisher's keys could not be fetched; try again.");
  if (error instanceof jose.JWSInvalid || error instanceof jose.JWTInvalid)
    return refuse(ErrorCodes.SSO_MALFORMED, "The sign-in token is not a valid JWT.");
  return refuse(ErrorCodes.SSO_BAD_SIGNATURE, "The sign-in token's signature does not verify.");
}

/** Verifies the signature with the site's keys, each pinned to its algorithm. */
async function verifySignature(
  deps: Deps,
  token: string,
  alg: string,
  kid: string | undefined,
  siteId: string,
  sso: AccountSettings["sso"],
) {
  const options = { audience: siteId, currentDate: new Date(deps.clock.now()), clockTolerance: SKEW_S };
  if (alg === "HS256") {
    const candidates = sso.secrets.filter((s) => kid === undefined || s.kid === kid);
    if (sso.secrets.length === 0)
      throw refuse(ErrorCodes.SSO_ALGORITHM_REFUSED, "This site does not accept HS256 tokens.");
    let last: unknown = new jose.JWSSignatureVerificationFailed();
    for (const candidate of candidates) {
      try {
        return (
          await jwtVerify(token, new TextEncoder().encode(candidate.secret), { ...options, algorithms: ["HS256"] })
        ).payload;
      } catch (error) {
        last = error;
        if (!(error instanceof jose.JWSSignatureVerificationFailed)) break;
      }
    }
    throw mapJoseError(last);
  }
  if ((ASYMMETRIC as readonly string[]).includes(alg)) {
    if (!sso.jwksUrl) throw refuse(ErrorCodes.SSO_ALGORITHM_REFUSED, `This site does not accept ${alg} tokens.`);
    try {
      return (await jwtVerify(token, jwksFor(sso.jwksUrl), { ...options, algorithms: [...ASYMMETRIC] })).payload;
    } catch (error) {
      throw mapJoseError(error);
    }
  }
  throw refuse(ErrorCodes.SSO_ALGORITHM_REFUSED, "This signing algorithm is not accepted.", { alg: alg.slice(0, 20) });
}

function checkClaims(deps: Deps, payload: JWTPayload) {
  const now = Math.floor(deps.clock.now() / 1000);
  const missing = (claim: string) =>
    refuse(ErrorCodes.SSO_MISSING_CLAIM, `The sign-in token lacks \`${claim}\`.`, { claim });
  if (typeof payload.exp !== "number") throw missing("exp");
  if (payload.exp > now + SSO_MAX_LIFETIME_S + SKEW_S)
    throw refuse(ErrorCodes.SSO_EXPIRY_TOO_FAR, "The sign-in token must expire within an hour.");
  if (typeof payload.iat !== "number") throw missing("iat");
  if (payload.iat > now + SKEW_S)
    throw refuse(ErrorCodes.SSO_ISSUED_IN_FUTURE, "The sign-in token was issued in the future.");
  if (typeof payload.jti !== "string" || !payload.jti || payload.jti.length > 200) throw missing("jti");
  if (typeof payload.sub !== "string" || !payload.sub || payload.sub.length > 200) throw missing("sub");
  if (typeof payload.name !== "string" || !payload.name) throw missing("name");
  return { exp: payload.exp, jti: payload.jti, sub: payload.sub, name: payload.name };
}

/** Spends the token's `jti`; a second use is a replay. Expired ids are swept on the way. */
async function spendJti(deps: Deps, siteId: string, jti: string, exp: number): Promise<void> {
  const now = deps.clock.now();
  try {
    await store.insertSsoTokenId(deps.store.db, { siteId, jti, expiresAt: exp * 1000, sweepBefore: now - SKEW_S * 1000 });
  } catch (error) {
    if (isUniqueViolation(error)) throw refuse(ErrorCodes.SSO_REPLAYED, "This sign-in token was already used.");
    throw error;
  }
}

/** A badge a sign-in may give (SSO or OIDC): a short label such as "Reporter", shown as written. */
export const BADGE = /^[\p{L}\p{N} ._-]{1,30}$/u;

/**
 * Exchanges a JWT signed by the publisher for a Parley session. Users are keyed by
 * (site, sub); the token's profile claims refresh the account on every sign-in.
 */
export async function exchangeSsoToken(deps: Deps, token: string, meta: RequestMeta = {}): Promise<Session> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    throw refuse(ErrorCodes.SSO_MALFORMED, "The sign-in token is not a valid JWT.");
  }
  const alg = typeof header.alg === "string" ? header.alg : "";
  if (alg === "none" || !["HS256", ...ASYMMETRIC].includes(alg))
    throw refuse(ErrorCodes.SSO_ALGORITHM_REFUSED, "This signing algorithm is not accepted.");
  // The audience only picks which site's keys to try; it is verified with the signature.
  const aud = Array.isArray(unverified.aud) ? unverified.aud[0] : unverified.aud;
  const site = typeof aud === "string" ? (await listSites(deps)).find((s) => s.id === aud) : undefined;
  if (!site) throw refuse(ErrorCodes.SSO_WRONG_AUDIENCE, "The sign-in token's audience is not a site here.");
  const settings = await accountSettings(deps, site.id);
  if (settings.sso.secrets.length === 0 && !settings.sso.jwksUrl)
    throw refuse(ErrorCodes.SSO_NOT_CONFIGURED, "This site does not accept SSO sign-ins.");
  const payload = await verifySignature(deps, token, alg, header.kid, site.id, settings.sso);
  const claims = checkClaims(deps, payload);
  await spendJti(deps, site.id, claims.jti, claims.exp);
  const user = await upsertSsoUser(deps, site.id, settings, claims, payload);
  return openSession(deps, user, "sso", meta);
}

async function upsertSsoUser(
  deps: Deps,
  siteId: string,
  settings: AccountSettings,
  claims: { sub: string; name: string },
  payload: JWTPayload,
): Promise<AccountUserRow> {
  const provider = `sso:${siteId}`;
  const displayName = normaliseDisplayName(claims.name);
  const badges = Array.isArray(payload.badges)
    ? payload.badges.filter((b): b is string => typeof b === "string" && BADGE.test(b)).slice(0, 5)
    : [];
  const claimedRole =
    settings.sso.allowRoles && (payload.role === "staff" || payload.role === "moderator") ? payload.role : null;
  const rawEmail = typeof payload.email === "string" ? payload.email.trim().toLowerCase() : null;
  const email = rawEmail && rawEmail.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(rawEmail) ? rawEmail : null;
  const profile = {
    display_name: displayName,
    name_skeleton: claimedRole ? nameSkeleton(displayName) : null,
    avatar_url: safeAvatarUrl(payload.avatar),
    badges: badges.length ? JSON.stringify(badges) : null,
    // Every sign-in states them anew: a lapsed subscription drops the entitlement.
    entitlements: JSON.stringify(entitlementsFromClaim(payload, settings.entitlementClaim)),
  };
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const userId = await userForIdentity(trx, deps, { provider, subject: claims.sub, email, profile, siteId, now });
    if (settings.sso.allowRoles) {
      const current = await store.findUserById(trx, userId);
      const role = claimedRole === "staff" ? "staff" : "commenter";
      if (current && (current.role === "commenter" || current.role === "staff") && current.role !== role) {
        await store.updateUser(trx, userId, { role });
        if (role === "staff") await recordRoleGrant(deps, trx, { id: userId, role }, null, "granted by the publisher's signed sign-in (SSO)");
      }
      if (claimedRole === "moderator") {
        const held = (await store.siteRolesOf(trx, userId)).some((r) => r.siteId === siteId && r.role === "moderator");
        await store.setSiteRole(trx, { user_id: userId, site_id: siteId, role: "moderator", created_at: now });
        if (!held) await recordRoleGrant(deps, trx, { id: userId, role: "moderator" }, null, `granted on site ${siteId} by the publisher's signed sign-in (SSO)`);
      } else {
        await store.removeSiteRole(trx, userId, siteId);
      }
    }
    const user = await store.findUserById(trx, userId);
    if (!user) throw new Error("the SSO user vanished inside its own transaction");
    return user;
  });
}
