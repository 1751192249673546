import type { Kysely, Migration } from "kysely";

/** Helpful / not helpful ratings, and the bridging scores the refit stores on each comment. */
export const bridging: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("ratings")
      .addColumn("comment_id", "text", (c) => c.notNull().references("comments.id").onDelete("cascade"))
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("value", "integer", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("ratings_pk", ["comment_id", "user_id"])
      .execute();
    await db.schema.createIndex("ratings_site").on("ratings").columns(["site_id", "updated_at"]).execute();
    await db.schema.createIndex("ratings_user").on("ratings").column("user_id").execute();
    // Unscored comments rank at -1000, below every lower bound the model can give.
    await db.schema
      .alterTable("comments")
      .addColumn("bridge_rank", "double precision", (c) => c.notNull().defaultTo(-1000))
      .execute();
    await db.schema.alterTable("comments").addColumn("bridge_intercept", "double precision").execute();
    await db.schema.alterTable("comments").addColumn("bridge_factor", "double precision").execute();
    await db.schema
      .alterTable("comments")
      .addColumn("bridge_ratings", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable("comments")
      .addColumn("bridge_badge", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex("comments_thread_best")
      .on("comments")
      .columns(["story_id", "parent_id", "bridge_rank", "created_at", "id"])
      .execute();
  },
};
