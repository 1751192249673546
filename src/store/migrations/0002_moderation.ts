import type { Kysely, Migration } from "kysely";

/** Reports, the audit log, moderator notes, site bans, rate-limit counters, and the columns moderation reads. */
export const moderation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("comments").addColumn("priority", "integer", (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable("comments").addColumn("open_reports", "integer", (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable("comments").addColumn("text_hash", "text").execute();
    await db.schema.alterTable("comments").addColumn("minhash", "text").execute();
    await db.schema.alterTable("comments").addColumn("decided_at", "bigint").execute();
    await db.schema.alterTable("comments").addColumn("ip_hash", "text").execute();
    await db.schema.createIndex("comments_queue").on("comments").columns(["status", "priority", "created_at"]).execute();
    await db.schema.createIndex("comments_reported").on("comments").columns(["open_reports", "created_at"]).execute();
    await db.schema.createIndex("comments_text_hash").on("comments").columns(["text_hash", "created_at"]).execute();
    await db.schema.createIndex("comments_decided").on("comments").columns(["status", "decided_at"]).execute();

    await db.schema.alterTable("users").addColumn("premod", "integer", (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable("users").addColumn("warning", "text").execute();

    await db.schema
      .createTable("reports")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("comment_id", "text", (c) => c.notNull().references("comments.id").onDelete("cascade"))
      .addColumn("reporter_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("note", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("resolved_at", "bigint")
      .addUniqueConstraint("reports_once", ["comment_id", "reporter_id"])
      .execute();

    await db.schema
      .createTable("moderation_actions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text")
      .addColumn("actor_id", "text")
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("target_type", "text", (c) => c.notNull())
      .addColumn("target_id", "text", (c) => c.notNull())
      .addColumn("reason_code", "text")
      .addColumn("reason_text", "text")
      .addColumn("before", "text")
      .addColumn("after", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("actions_time").on("moderation_actions").columns(["created_at", "id"]).execute();
    await db.schema.createIndex("actions_target").on("moderation_actions").columns(["target_id", "created_at"]).execute();
    await db.schema.createIndex("actions_actor").on("moderation_actions").columns(["actor_id", "created_at"]).execute();

    await db.schema
      .createTable("user_notes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("author_id", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("user_notes_user").on("user_notes").columns(["user_id", "created_at"]).execute();

    await db.schema
      .createTable("site_bans")
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("site_bans_pk", ["user_id", "site_id"])
      .execute();

    await db.schema
      .createTable("rate_limits")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("window_start", "bigint", (c) => c.notNull())
      .addColumn("count", "integer", (c) => c.notNull())
      .execute();
  },
};
