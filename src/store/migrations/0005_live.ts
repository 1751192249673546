import type { Kysely, Migration } from "kysely";

/** Story events for live threads: a per-story sequence, kept for a bounded time. */
export const live: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("stories").addColumn("event_seq", "bigint", (c) => c.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable("story_events")
      .addColumn("story_id", "text", (c) => c.notNull())
      .addColumn("seq", "bigint", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("comment_id", "text")
      .addColumn("audience", "text")
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("story_events_pk", ["story_id", "seq"])
      .execute();
    await db.schema.createIndex("story_events_created").on("story_events").column("created_at").execute();
  },
};
