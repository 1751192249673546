import type { Kysely, Migration } from "kysely";

/**
 * EU DSA notices of illegal content (Art. 16): anyone, signed in or not, notifies a comment
 * with the law concerned and an explanation; the notifier may leave an address for the receipt
 * and the decision. Like a statement, a notice outlives its comment (no foreign key to it).
 */
export const notices: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("notices")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("story_id", "text", (c) => c.notNull())
      .addColumn("comment_id", "text", (c) => c.notNull())
      .addColumn("reporter_id", "text", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("reporter_email", "text")
      .addColumn("law", "text", (c) => c.notNull())
      .addColumn("explanation", "text", (c) => c.notNull())
      .addColumn("ip_hash", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("decided_by", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("decided_at", "bigint")
      .execute();
    await db.schema.createIndex("notices_comment").on("notices").columns(["comment_id", "status"]).execute();
    await db.schema.createIndex("notices_site_created").on("notices").columns(["site_id", "created_at"]).execute();
  },
};
