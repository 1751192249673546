import { createHash } from "node:crypto";
import { BADGE } from "./sso.js";
import * as client from "openid-client";
import type { OidcProviderConfig } from "../config.js";
import type { Deps } from "../deps.js";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import type { AccountUserRow } from "../store/schema.js";
import { normaliseDisplayName, safeAvatarUrl } from "./profiles.js";
import { type RequestMeta, type Session, openSession } from "./service.js";
import * as store from "./store.js";
import { userForIdentity } from "./identities.js";
import { entitlementsFromClaim } from "./entitlements.js";
import { accountSettings } from "./settings.js";
import { DEFAULT_SITE_ID } from "../site/service.js";

const LOGIN_TTL_MS = 10 * 60 * 1000;
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

export function providerNamed(deps: Deps, name: string): OidcProviderConfig {
  const provider = deps.config.oidcProviders.find((p) => p.name === name);
  if (!provider) throw new AppError(404, ErrorCodes.OIDC_UNKNOWN_PROVIDER, "No sign-in provider by this name.");
  return provider;
}

const redirectUri = (deps: Deps, provider: OidcProviderConfig) =>
  `${deps.config.publicUrl}/api/v1/auth/oidc/${provider.name}/callback`;

const discovered = new Map<string, Promise<client.Configuration>>();

/** Discovery once per provider and process; plain http is allowed for loopback issuers only (tests, local IdPs). */
function configurationOf(provider: OidcProviderConfig): Promise<client.Configuration> {
  const key = `${provider.issuer}|${provider.clientId}`;
  let found = discovered.get(key);
  if (!found) {
    const issuer = new URL(provider.issuer);
    const loopback = issuer.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname);
    found = client.discovery(
      issuer,
      provider.clientId,
      undefined,
      client.ClientSecretBasic(provider.clientSecret),
      loopback ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
    );
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

/** Starts a sign-in: PKCE verifier, state and nonce kept server-side (any node may take the callback). */
export async function startOidcLogin(deps: Deps, name: string, openerOrigin: string | null): Promise<URL> {
  const provider = providerNamed(deps, name);
  let config: client.Configuration;
  try {
    config = await configurationOf(provider);
  } catch {
    throw new AppError(503, ErrorCodes.SERVICE_UNAVAILABLE, "The sign-in provider does not answer; try again.");
  }
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const now = deps.clock.now();
  await store.insertOidcLogin(deps.store.db, {
    stateHash: sha256(state),
    provider: provider.name,
    codeVerifier,
    nonce,
    openerOrigin,
    expiresAt: now + LOGIN_TTL_MS,
    now,
  });
  return client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(deps, provider),
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
}

/** Finishes a sign-in: the state is spent once, the code exchanged with PKCE, the ID token's nonce checked. */
export async function finishOidcLogin(
  deps: Deps,
  name: string,
  callbackUrl: URL,
  meta: RequestMeta = {},
): Promise<{ session: Session; openerOrigin: string | null }> {
  const provider = providerNamed(deps, name);
  const state = callbackUrl.searchParams.get("state") ?? "";
  const login = await store.spendOidcLogin(deps.store.db, sha256(state), provider.name, deps.clock.now());
  if (!state || !login)
    throw new AppError(400, ErrorCodes.OIDC_STATE_INVALID, "This sign-in expired or was already used; start again.");
  let claims: client.IDToken | undefined;
  try {
    const config = await configurationOf(provider);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
    // Many providers put the profile in userinfo only, not in the ID token.
    if (claims?.sub && tokens.access_token) {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      claims = { ...info, ...claims };
    }
  } catch (error) {
    deps.log.warn({ provider: provider.name, err: { message: (error as Error).message } }, "oidc sign-in failed");
    throw new AppError(401, ErrorCodes.OIDC_FAILED, "The sign-in provider did not confirm who you are.");
  }
  if (!claims?.sub) throw new AppError(401, ErrorCodes.OIDC_FAILED, "The sign-in provider did not say who you are.");
  const user = await upsertOidcUser(deps, provider, claims);
  return { session: await openSession(deps, user, "oidc", meta), openerOrigin: login.openerOrigin };
}

async function upsertOidcUser(
  deps: Deps,
  provider: OidcProviderConfig,
  claims: client.IDToken,
): Promise<AccountUserRow> {
  const key = `oidc:${provider.name}`;
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  let displayName: string;
  try {
    displayName = normaliseDisplayName(
      text(claims.name) ?? text(claims.preferred_username) ?? text(claims.given_name) ?? "Reader",
    );
  } catch {
    displayName = "Reader";
  }
  // A provider may name the newsroom's people (`badges: ["Reporter"]`), as the publisher's SSO may.
  const badges = Array.isArray(claims.badges) ? claims.badges.filter((b): b is string => typeof b === "string" && BADGE.test(b)).slice(0, 5) : [];
  const claim = (await accountSettings(deps, DEFAULT_SITE_ID)).entitlementClaim;
  const profile = {
    display_name: displayName,
    avatar_url: safeAvatarUrl(claims.picture),
    ...(badges.length ? { badges: JSON.stringify(badges) } : {}),
    // Every sign-in states them anew: a lapsed subscription drops the entitlement.
    entitlements: JSON.stringify(entitlementsFromClaim(claims, claim)),
  };
  const email = claims.email_verified === true ? (text(claims.email)?.toLowerCase() ?? null) : null;
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const userId = await userForIdentity(trx, deps, { provider: key, subject: claims.sub, email, profile, now });
    const user = await store.findUserById(trx, userId);
    if (!user) throw new Error("the OIDC user vanished inside its own transaction");
    return user;
  });
}
