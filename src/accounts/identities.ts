import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import { AppError, conflict, notFound } from "../errors.js";
import { audit } from "../audit/log.js";
import { ErrorCodes } from "../shared/codes.js";
import { listSites } from "../site/service.js";
import { isUniqueViolation } from "../store/errors.js";
import type { AccountUserRow, Database } from "../store/schema.js";
import type { Actor } from "./actor.js";
import * as store from "./store.js";

/**
 * The account behind an identity from elsewhere (an SSO or OIDC subject): its profile is
 * refreshed when the identity is known, a commenter account is created otherwise. The e-mail is
 * kept only when no other account holds it: a sign-in never takes over an account by address.
 */
export async function userForIdentity(
  trx: Transaction<Database>,
  deps: Deps,
  identity: {
    provider: string;
    subject: string;
    email: string | null;
    profile: Partial<AccountUserRow> & { display_name: string };
    siteId?: string | null;
    now: number;
  },
): Promise<string> {
  const known = await store.findIdentity(trx, identity.provider, identity.subject);
  if (known) {
    await store.updateUser(trx, known.user_id, identity.profile);
    return known.user_id;
  }
  const userId = deps.ids.next();
  const taken = identity.email ? await store.findUserByEmail(trx, identity.email) : undefined;
  await store.insertUser(trx, {
    id: userId,
    email: taken ? null : identity.email,
    password_hash: null,
    role: "commenter",
    status: "active",
    suspended_until: null,
    created_at: identity.now,
    premod: 0,
    warning: null,
    ...(identity.siteId ? { site_id: identity.siteId } : {}),
    email_verified_at: identity.email && !taken ? identity.now : null,
    ...identity.profile,
  });
  await store.insertIdentity(trx, {
    provider: identity.provider,
    subject: identity.subject,
    user_id: userId,
    created_at: identity.now,
  });
  return userId;
}

/** Where a linked sign-in comes from: a site's publisher SSO, or an OpenID Connect provider named by its issuer. */
export type IdentitySource = { siteId: string } | { issuer: string };

const withoutSlash = (url: string) => url.replace(/\/+$/, "");

/** The stored provider of a source, "sso:<site id>" or "oidc:<provider name>"; 404 for an unknown site or issuer. */
export async function providerOf(deps: Deps, source: IdentitySource): Promise<{ provider: string; siteId: string | null }> {
  if ("siteId" in source) {
    if (!(await listSites(deps)).some((s) => s.id === source.siteId)) throw notFound("Site");
    return { provider: `sso:${source.siteId}`, siteId: source.siteId };
  }
  const issuer = withoutSlash(source.issuer);
  const found = deps.config.oidcProviders.find((p) => withoutSlash(p.issuer) === issuer);
  if (!found) throw new AppError(404, ErrorCodes.OIDC_UNKNOWN_PROVIDER, "No configured OpenID Connect provider has this issuer.");
  return { provider: `oidc:${found.name}`, siteId: null };
}

/** A linked sign-in as admins see it. */
export function presentIdentity(deps: Deps, row: { provider: string; subject: string; created_at: number }) {
  const at = row.provider.indexOf(":");
  const kind = row.provider.slice(0, at);
  const name = row.provider.slice(at + 1);
  const source =
    kind === "sso"
      ? { kind: "sso" as const, siteId: name }
      : { kind: "oidc" as const, name, issuer: deps.config.oidcProviders.find((p) => p.name === name)?.issuer ?? null };
  return { provider: row.provider, ...source, subject: row.subject, createdAt: new Date(row.created_at).toISOString() };
}

interface IdentityChange {
  deps: Deps;
  actor: Actor;
  userId: string;
  provider: string;
  siteId: string | null;
  subject: string;
}

/**
 * Links a sign-in from elsewhere to an existing account, so signing in that way opens this
 * account. Audited. Already linked here: nothing changes (`created: false`); linked to another
 * account, or the account already has a sign-in from that provider: 409.
 */
export async function linkIdentity(change: IdentityChange) {
  const { deps, actor, userId, provider, siteId, subject } = change;
  const now = deps.clock.now();
  try {
    return await deps.store.db.transaction().execute(async (trx) => {
      const own = await store.identitiesOf(trx, userId);
      const same = own.find((i) => i.provider === provider && i.subject === subject);
      if (same) return { created: false, identity: presentIdentity(deps, same) };
      const holder = await store.findIdentity(trx, provider, subject);
      if (holder)
        throw conflict(ErrorCodes.CONFLICT, "This sign-in is linked to another account; unlink it there first.", {
          userId: holder.user_id,
        });
      if (own.some((i) => i.provider === provider))
        throw conflict(ErrorCodes.CONFLICT, `This account already has a sign-in from ${provider}; unlink it first.`);
      await store.insertIdentity(trx, { provider, subject, user_id: userId, created_at: now });
      await audit(deps, trx, {
        siteId,
        actorId: actor.user.id,
        action: "user.identity_link",
        targetType: "user",
        targetId: userId,
        after: { provider, subject },
      });
      return { created: true, identity: presentIdentity(deps, { provider, subject, created_at: now }) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(ErrorCodes.CONFLICT, "This sign-in was just linked to an account.");
    throw error;
  }
}

/**
 * Unlinks a sign-in from the account (404 when it is not linked to it), audited. The account's
 * sessions opened the same way (SSO or OIDC) end with it: they may have come through this sign-in.
 */
export async function unlinkIdentity(change: IdentityChange): Promise<void> {
  const { deps, actor, userId, provider, siteId, subject } = change;
  await deps.store.db.transaction().execute(async (trx) => {
    if (!(await store.deleteIdentity(trx, { provider, subject, user_id: userId }))) throw notFound("Linked sign-in");
    await store.deleteSessionsByMethod(trx, userId, provider.slice(0, provider.indexOf(":")));
    await audit(deps, trx, {
      siteId,
      actorId: actor.user.id,
      action: "user.identity_unlink",
      targetType: "user",
      targetId: userId,
      before: { provider, subject },
    });
  });
}
