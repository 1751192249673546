import { type Kysely, type Transaction, sql } from "kysely";
import type { AccountTokensTable, AccountUserRow, Database, UserRow } from "../store/schema.js";
import type { SiteRole } from "./actor.js";

type Db = Kysely<Database> | Transaction<Database>;

export async function findUserByEmail(db: Db, email: string): Promise<AccountUserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<AccountUserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findUsersByIds(db: Db, ids: string[]): Promise<AccountUserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("users").selectAll().where("id", "in", ids).execute();
}

export async function insertUser(db: Db, user: UserRow & Partial<AccountUserRow>): Promise<void> {
  await db.insertInto("users").values(user).execute();
}

export async function updateUser(db: Db, id: string, changes: Partial<Omit<AccountUserRow, "id">>): Promise<void> {
  await db.updateTable("users").set(changes).where("id", "=", id).execute();
}

export async function insertSession(
  db: Db,
  session: {
    id: string;
    user_id: string;
    token_hash: string;
    created_at: number;
    expires_at: number;
    user_agent?: string | null;
    method?: string | null;
  },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({ ...session, last_seen_at: session.created_at })
    .execute();
}

/** The live session behind a token hash, with its user. */
export async function findSession(db: Db, tokenHash: string, now: number) {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select([
      "sessions.id as session_id",
      "sessions.expires_at as session_expires_at",
      "sessions.last_seen_at as session_seen_at",
    ])
    .where("sessions.token_hash", "=", tokenHash)
    .where("sessions.expires_at", ">", now)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_id, session_expires_at, session_seen_at, ...user } = row;
  return { sessionId: session_id, expiresAt: session_expires_at, lastSeenAt: session_seen_at, user: user as AccountUserRow };
}

export async function touchSession(db: Db, sessionId: string, now: number, expiresAt: number): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where("id", "=", sessionId)
    .execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

export async function deleteSessionOf(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const result = await db
    .deleteFrom("sessions")
    .where("id", "=", sessionId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

/** Ends the account's sessions opened one way (password, sso, oidc). */
export async function deleteSessionsByMethod(db: Db, userId: string, method: string): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).where("method", "=", method).execute();
}

export async function sessionsOf(db: Db, userId: string, now: number) {
  return db
    .selectFrom("sessions")
    .select(["id", "created_at", "last_seen_at", "expires_at", "user_agent", "method"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", now)
    .orderBy("last_seen_at", "desc")
    .limit(100)
    .execute();
}

export async function siteRolesOf(db: Db, userId: string): Promise<SiteRole[]> {
  const rows = await db.selectFrom("user_site_roles").select(["site_id", "role", "sections"]).where("user_id", "=", userId).execute();
  return rows.map((r) => {
    const sections = r.sections ? (JSON.parse(r.sections) as string[]) : [];
    return { siteId: r.site_id, role: r.role, ...(sections.length ? { sections } : {}) };
  });
}

export async function setSiteRole(
  db: Db,
  row: { user_id: string; site_id: string; role: "moderator" | "admin"; created_at: number; sections?: string | null },
): Promise<void> {
  await db
    .insertInto("user_site_roles")
    .values(row)
    .onConflict((oc) => oc.columns(["user_id", "site_id"]).doUpdateSet({ role: row.role, ...(row.sections === undefined ? {} : { sections: row.sections }) }))
    .execute();
}

export async function removeSiteRole(db: Db, userId: string, siteId: string): Promise<void> {
  await db.deleteFrom("user_site_roles").where("user_id", "=", userId).where("site_id", "=", siteId).execute();
}

export async function insertAccountToken(db: Db, token: Omit<AccountTokensTable, "used_at">): Promise<void> {
  await db.insertInto("account_tokens").values({ ...token, used_at: null }).execute();
}

/**
 * Spends a token: marks it used if it is unused, unexpired and for `purpose`, in one
 * statement so two concurrent uses cannot both succeed. Returns its user id.
 */
export async function spendAccountToken(
  trx: Transaction<Database>,
  tokenHash: string,
  purpose: AccountTokensTable["purpose"],
  now: number,
): Promise<string | undefined> {
  const row = await trx
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("user_id")
    .executeTakeFirst();
  return row?.user_id;
}

/** Whether a mailed link still works: unused, unexpired and not replaced by a newer one. */
export async function isAccountTokenLive(db: Db, id: string, now: number): Promise<boolean> {
  const row = await db
    .selectFrom("account_tokens")
    .select("id")
    .where("id", "=", id)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row !== undefined;
}

/** A new reset link makes older ones useless: one live link per account and purpose. */
export async function retireAccountTokens(db: Db, userId: string, purpose: AccountTokensTable["purpose"], now: number) {
  await db
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .execute();
}

export async function findIdentity(db: Db, provider: string, subject: string) {
  return db
    .selectFrom("user_identities")
    .select("user_id")
    .where("provider", "=", provider)
    .where("subject", "=", subject)
    .executeTakeFirst();
}

export async function identitiesOf(db: Db, userId: string) {
  return db
    .selectFrom("user_identities")
    .select(["provider", "subject", "created_at"])
    .where("user_id", "=", userId)
    .orderBy("provider")
    .orderBy("subject")
    .execute();
}

/** Removes the identity if it belongs to `userId`; says whether it did. */
export async function deleteIdentity(db: Db, row: { provider: string; subject: string; user_id: string }): Promise<boolean> {
  const result = await db
    .deleteFrom("user_identities")
    .where("provider", "=", row.provider)
    .where("subject", "=", row.subject)
    .where("user_id", "=", row.user_id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertIdentity(
  db: Db,
  row: { provider: string; subject: string; user_id: string; created_at: number },
): Promise<void> {
  await db.insertInto("user_identities").values(row).execute();
}

/** Login failures per fixed window, in the shared rate-limit table (so every node sees them). */
/** When an address last signed in to an account (a `rate_limits` row of its own, see throttle.ts). */
export async function lastSignInFrom(db: Db, key: string): Promise<number | undefined> {
  const row = await db.selectFrom("rate_limits").select("window_start").where("key", "=", key).executeTakeFirst();
  return row?.window_start;
}

export async function rememberSignInFrom(db: Db, key: string, now: number): Promise<void> {
  await db
    .insertInto("rate_limits")
    .values({ key, window_start: now, count: 0 })
    .onConflict((oc) => oc.column("key").doUpdateSet({ window_start: now }))
    .execute();
}

/** The audit actions that record who gave an account its role (see role-grants.ts). */
export const ROLE_GRANT_ACTIONS = ["user.role_grant", "user.site_role"] as const;

/** Accounts holding a role (everywhere or on a site) that no audit entry says anyone granted. */
export async function rolesWithoutGrant(
  db: Db,
): Promise<{ id: string; display_name: string; email: string | null; role: string; site_id: string | null; created_at: number }[]> {
  const granted = db
    .selectFrom("moderation_actions")
    .select("target_id")
    .where("target_type", "=", "user")
    .where("action", "in", [...ROLE_GRANT_ACTIONS]);
  const everywhere = await db
    .selectFrom("users")
    .select(["id", "display_name", "email", "role", "created_at"])
    .where("role", "!=", "commenter")
    .where("id", "not in", granted)
    .orderBy("created_at")
    .execute();
  const onSites = await db
    .selectFrom("user_site_roles")
    .innerJoin("users", "users.id", "user_site_roles.user_id")
    .select(["users.id", "users.display_name", "users.email", "user_site_roles.role", "user_site_roles.site_id", "users.created_at"])
    .where("user_site_roles.user_id", "not in", granted)
    .orderBy("users.created_at")
    .execute();
  return [...everywhere.map((u) => ({ ...u, site_id: null })), ...onSites];
}

/** A story's section: what a moderator scoped to sections may act on. */
export function storySection(db: Db, storyId: string) {
  return db.selectFrom("stories").select("section").where("id", "=", storyId).executeTakeFirst();
}

export interface TeamMember {
  userId: string;
  name: string;
  email: string | null;
  role: string;
  /** "everywhere": the account's own role (set with the CLI); "site": a role on this site only. */
  scope: "everywhere" | "site";
  sections: string[];
}

/** The people who moderate or run a site: staff roles everywhere, then the site's own roles, by name. */
export async function teamOf(db: Db, siteId: string): Promise<TeamMember[]> {
  const everywhere = await db
    .selectFrom("users")
    .select(["id", "display_name", "email", "role"])
    .where("role", "!=", "commenter")
    .orderBy("display_name")
    .limit(500)
    .execute();
  const onSite = await db
    .selectFrom("user_site_roles")
    .innerJoin("users", "users.id", "user_site_roles.user_id")
    .select(["users.id", "users.display_name", "users.email", "user_site_roles.role", "user_site_roles.sections"])
    .where("user_site_roles.site_id", "=", siteId)
    .orderBy("users.display_name")
    .limit(500)
    .execute();
  return [
    ...everywhere.map((u) => ({ userId: u.id, name: u.display_name, email: u.email, role: u.role, scope: "everywhere" as const, sections: [] })),
    ...onSite.map((u) => ({
      userId: u.id,
      name: u.display_name,
      email: u.email,
      role: u.role,
      scope: "site" as const,
      sections: u.sections ? (JSON.parse(u.sections) as string[]) : [],
    })),
  ];
}

/** Accounts an admin may give a role: by exact e-mail address, or by the start of the display name. */
export async function findPeople(db: Db, q: string, limit: number): Promise<{ id: string; display_name: string; email: string | null; role: string }[]> {
  const base = db.selectFrom("users").select(["id", "display_name", "email", "role"]).where("status", "!=", "banned");
  if (q.includes("@")) return base.where("email", "=", q.toLowerCase()).limit(limit).execute();
  const pattern = `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return base
    .where(sql<string>`lower(display_name)`, "like", sql<string>`${pattern} escape '\\'`)
    .orderBy("display_name")
    .limit(limit)
    .execute();
}

/** Starts an OIDC sign-in: its state (hashed), PKCE verifier and nonce, kept until `expiresAt`; expired ones are swept. */
export async function insertOidcLogin(
  db: Db,
  login: { stateHash: string; provider: string; codeVerifier: string; nonce: string; openerOrigin: string | null; expiresAt: number; now: number },
): Promise<void> {
  await db.deleteFrom("oidc_logins").where("expires_at", "<", login.now).execute();
  await db
    .insertInto("oidc_logins")
    .values({
      state_hash: login.stateHash,
      provider: login.provider,
      code_verifier: login.codeVerifier,
      nonce: login.nonce,
      opener_origin: login.openerOrigin,
      expires_at: login.expiresAt,
    })
    .execute();
}

/** Spends an OIDC sign-in's state once: the sign-in it started, unless expired or already spent. */
export async function spendOidcLogin(
  db: Db,
  stateHash: string,
  provider: string,
  now: number,
): Promise<{ codeVerifier: string; nonce: string; openerOrigin: string | null } | undefined> {
  const row = await db
    .deleteFrom("oidc_logins")
    .where("state_hash", "=", stateHash)
    .where("provider", "=", provider)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
  return row && { codeVerifier: row.code_verifier, nonce: row.nonce, openerOrigin: row.opener_origin };
}

/** Records an SSO token's id (a second insert fails with the dialect's unique violation); expired ids are swept first. */
export async function insertSsoTokenId(db: Db, t: { siteId: string; jti: string; expiresAt: number; sweepBefore: number }): Promise<void> {
  await db.deleteFrom("sso_token_ids").where("expires_at", "<", t.sweepBefore).execute();
  await db.insertInto("sso_token_ids").values({ site_id: t.siteId, jti: t.jti, expires_at: t.expiresAt }).execute();
}

/** Whether a staff member (installation-wide or on a site) other than `userId` has a name with this skeleton. */
export async function staffNameTaken(db: Db, skeleton: string, userId: string | null): Promise<boolean> {
  const clash = await db
    .selectFrom("users")
    .select("id")
    .where("name_skeleton", "=", skeleton)
    .where((eb) =>
      eb.or([
        eb("role", "in", ["staff", "moderator", "admin"]),
        eb("id", "in", eb.selectFrom("user_site_roles").select("user_id")),
      ]),
    )
    .$if(userId !== null, (q) => q.where("id", "!=", userId as string))
    .executeTakeFirst();
  return clash !== undefined;
}
