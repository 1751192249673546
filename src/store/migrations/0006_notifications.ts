import type { Kysely, Migration } from "kysely";

/**
 * The outbox (work written in the transaction of the change that causes it), the single
 * worker lease used on SQLite, webhooks and their deliveries, in-app notifications,
 * readers' notification preferences and story follows.
 */
export const notifications: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("outbox_jobs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      // The idempotency key: one job per key, sent to receivers so a retry is recognisable.
      .addColumn("key", "text", (c) => c.notNull().unique())
      .addColumn("site_id", "text")
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      // Queued: when it may run next (a claim pushes it out by the lease, so a dead worker's jobs come back).
      .addColumn("due_at", "bigint", (c) => c.notNull())
      .addColumn("locked_by", "text")
      .addColumn("last_error", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("outbox_jobs_due").on("outbox_jobs").columns(["status", "due_at"]).execute();
    await db.schema.createIndex("outbox_jobs_site").on("outbox_jobs").columns(["site_id", "status", "updated_at"]).execute();

    await db.schema
      .createTable("outbox_leases")
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("holder", "text")
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await db
      .insertInto("outbox_leases" as never)
      .values({ name: "outbox", holder: null, expires_at: 0 } as never)
      .execute();

    await db.schema
      .createTable("webhook_endpoints")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull().references("sites.id").onDelete("cascade"))
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("events", "text", (c) => c.notNull())
      .addColumn("secrets", "text", (c) => c.notNull())
      .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("webhook_endpoints_site").on("webhook_endpoints").column("site_id").execute();

    await db.schema
      .createTable("webhook_deliveries")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("endpoint_id", "text", (c) => c.notNull().references("webhook_endpoints.id").onDelete("cascade"))
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("job_id", "text", (c) => c.notNull())
      .addColumn("event_id", "text", (c) => c.notNull())
      .addColumn("event_type", "text", (c) => c.notNull())
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("status_code", "integer")
      .addColumn("error", "text")
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("webhook_deliveries_endpoint").on("webhook_deliveries").columns(["endpoint_id", "id"]).execute();

    await db.schema
      .createTable("notifications")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("key", "text", (c) => c.notNull().unique())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("site_id", "text")
      .addColumn("story_id", "text")
      .addColumn("comment_id", "text")
      .addColumn("actor_id", "text")
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("read_at", "bigint")
      // 1 while the item waits for the reader's daily digest; the digest job that took it.
      .addColumn("digest", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("digest_key", "text")
      .execute();
    await db.schema.createIndex("notifications_user").on("notifications").columns(["user_id", "id"]).execute();
    await db.schema.createIndex("notifications_unread").on("notifications").columns(["user_id", "read_at"]).execute();
    await db.schema.createIndex("notifications_digest").on("notifications").columns(["user_id", "digest", "digest_key"]).execute();

    await db.schema
      .createTable("notification_prefs")
      .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
      .addColumn("replies", "text", (c) => c.notNull())
      .addColumn("mentions", "text", (c) => c.notNull())
      .addColumn("moderation", "integer", (c) => c.notNull())
      .addColumn("lang", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("story_follows")
      .addColumn("story_id", "text", (c) => c.notNull().references("stories.id").onDelete("cascade"))
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("mode", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("story_follows_pk", ["story_id", "user_id"])
      .execute();
    await db.schema.createIndex("story_follows_user").on("story_follows").column("user_id").execute();
  },
};
