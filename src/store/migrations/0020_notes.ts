import type { Kysely, Migration } from "kysely";

/**
 * Reader context notes on a story (issue 20 item 4) and their ratings. A note's `moderation` is
 * the pipeline's verdict (published, pending for a moderator, rejected); its `status` is the
 * bridging model's (needs_ratings, helpful: shown on the article, not_helpful).
 */
export const notes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("notes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("story_id", "text", (c) => c.notNull().references("stories.id").onDelete("cascade"))
      .addColumn("author_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("quote", "text")
      .addColumn("sources", "text", (c) => c.notNull())
      .addColumn("moderation", "text", (c) => c.notNull())
      .addColumn("reasons", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("status", "text", (c) => c.notNull().defaultTo("needs_ratings"))
      .addColumn("rating_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("status_changed_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("notes_story").on("notes").columns(["story_id", "created_at"]).execute();
    await db.schema
      .createIndex("notes_site_moderation")
      .on("notes")
      .columns(["site_id", "moderation", "created_at"])
      .execute();
    await db.schema
      .createTable("note_ratings")
      .addColumn("note_id", "text", (c) => c.notNull().references("notes.id").onDelete("cascade"))
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("site_id", "text", (c) => c.notNull())
      // 1 helpful, 0.5 somewhat helpful, 0 not helpful.
      .addColumn("value", "real", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("note_ratings_pk", ["note_id", "user_id"])
      .execute();
    await db.schema.createIndex("note_ratings_site").on("note_ratings").columns(["site_id", "updated_at"]).execute();
  },
};
