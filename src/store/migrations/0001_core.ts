import type { Kysely, Migration } from "kysely";

/** Sites, stories, accounts, comments, reactions and idempotency records. */
export const core: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("sites")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("origins", "text", (c) => c.notNull())
      .addColumn("settings", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("stories")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("author", "text")
      .addColumn("published_at", "bigint")
      .addColumn("body_text", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("premod", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("comment_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addUniqueConstraint("stories_site_url", ["site_id", "url"])
      .execute();
    await db.schema.createIndex("stories_url").on("stories").column("url").execute();

    await db.schema
      .createTable("users")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("email", "text", (c) => c.unique())
      .addColumn("password_hash", "text")
      .addColumn("display_name", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("suspended_until", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("sessions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("last_seen_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

    await db.schema
      .createTable("comments")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
      .addColumn("story_id", "text", (c) => c.notNull().references("stories.id"))
      .addColumn("parent_id", "text", (c) => c.references("comments.id"))
      .addColumn("depth", "integer", (c) => c.notNull())
      .addColumn("author_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("body_html", "text", (c) => c.notNull())
      .addColumn("quote", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("reply_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("reaction_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("reactions", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("scores", "text")
      .addColumn("reasons", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("edited_at", "bigint")
      .execute();
    // Each thread list is a range scan of one of these two indexes.
    await db.schema
      .createIndex("comments_thread_time")
      .on("comments")
      .columns(["story_id", "parent_id", "created_at", "id"])
      .execute();
    await db.schema
      .createIndex("comments_thread_top")
      .on("comments")
      .columns(["story_id", "parent_id", "reaction_count", "created_at", "id"])
      .execute();
    await db.schema.createIndex("comments_author").on("comments").columns(["author_id", "created_at"]).execute();

    await db.schema
      .createTable("comment_revisions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("comment_id", "text", (c) => c.notNull().references("comments.id"))
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("body_html", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("revisions_comment").on("comment_revisions").column("comment_id").execute();

    await db.schema
      .createTable("reactions")
      .addColumn("comment_id", "text", (c) => c.notNull().references("comments.id"))
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("reactions_pk", ["comment_id", "user_id", "kind"])
      .execute();
    await db.schema.createIndex("reactions_user").on("reactions").columns(["user_id", "comment_id"]).execute();

    await db.schema
      .createTable("idempotency_keys")
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("fingerprint", "text", (c) => c.notNull())
      .addColumn("status_code", "integer", (c) => c.notNull())
      .addColumn("response", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("idempotency_pk", ["user_id", "key"])
      .execute();
    await db.schema.createIndex("idempotency_created").on("idempotency_keys").column("created_at").execute();
  },
};
