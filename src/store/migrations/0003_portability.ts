import type { Kysely, Migration } from "kysely";

/**
 * Moving in and out: the map from ids in other systems (Disqus, WordPress, …) to local
 * ids that makes re-imports add nothing twice, the authors imported without an account
 * (claimable later by verified e-mail), and the record of each import run.
 */
export const portability: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("external_ids")
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("external_id", "text", (c) => c.notNull())
      .addColumn("local_id", "text", (c) => c.notNull())
      // A reply's parent as the source named it, resolved to a local parent after the run.
      .addColumn("parent_external_id", "text")
      .addColumn("import_id", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("external_ids_pk", ["source", "kind", "external_id"])
      .execute();
    await db.schema.createIndex("external_ids_local").on("external_ids").column("local_id").execute();
    await db.schema.createIndex("external_ids_import").on("external_ids").columns(["import_id", "kind"]).execute();

    await db.schema
      .createTable("unclaimed_users")
      .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
      // Lower-cased; not unique, since one address may have written under several names.
      .addColumn("claim_email", "text")
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("unclaimed_users_email").on("unclaimed_users").column("claim_email").execute();

    await db.schema
      .createTable("imports")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("progress", "text", (c) => c.notNull())
      .addColumn("summary", "text")
      .addColumn("error", "text")
      .addColumn("created_by", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
  },
};
