import type { Kysely, Migration } from "kysely";

/**
 * Accounts beyond e-mail and password: site-scoped moderator and admin roles, sign-ins
 * through a publisher's SSO or OpenID Connect (identities), single-use e-mail tokens,
 * spent SSO token ids, OIDC logins in flight, and what a user sees of their sessions.
 */
export const accounts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("users").addColumn("site_id", "text").execute();
    await db.schema.alterTable("users").addColumn("email_verified_at", "bigint").execute();
    await db.schema.alterTable("users").addColumn("avatar_url", "text").execute();
    await db.schema.alterTable("users").addColumn("badges", "text").execute();
    // NFKC + case-fold + confusable skeleton of the display name, to refuse look-alikes of staff.
    await db.schema.alterTable("users").addColumn("name_skeleton", "text").execute();
    await db.schema.createIndex("users_name_skeleton").on("users").column("name_skeleton").execute();

    await db.schema.alterTable("sessions").addColumn("user_agent", "text").execute();
    await db.schema.alterTable("sessions").addColumn("method", "text").execute();

    await db.schema
      .createTable("user_site_roles")
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("user_site_roles_pk", ["user_id", "site_id"])
      .execute();
    await db.schema.createIndex("user_site_roles_site").on("user_site_roles").columns(["site_id", "role"]).execute();

    await db.schema
      .createTable("user_identities")
      // "sso:<site id>" or "oidc:<provider name>"
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("user_identities_pk", ["provider", "subject"])
      .execute();
    await db.schema.createIndex("user_identities_user").on("user_identities").column("user_id").execute();

    await db.schema
      .createTable("account_tokens")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .execute();
    await db.schema.createIndex("account_tokens_user").on("account_tokens").columns(["user_id", "purpose"]).execute();

    await db.schema
      .createTable("sso_token_ids")
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("jti", "text", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("sso_token_ids_pk", ["site_id", "jti"])
      .execute();
    await db.schema.createIndex("sso_token_ids_expiry").on("sso_token_ids").column("expires_at").execute();

    await db.schema
      .createTable("oidc_logins")
      .addColumn("state_hash", "text", (c) => c.primaryKey())
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("code_verifier", "text", (c) => c.notNull())
      .addColumn("nonce", "text", (c) => c.notNull())
      // Where the session goes afterwards: a popup's opener origin, or null for a JSON answer.
      .addColumn("opener_origin", "text")
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
  },
};
