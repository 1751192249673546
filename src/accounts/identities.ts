import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { AccountUserRow, Database } from "../store/schema.js";
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
