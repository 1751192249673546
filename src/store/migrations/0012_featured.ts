import { type Kysely, type Migration, sql } from "kysely";

/**
 * Editor's picks: when (0 while not featured) and by whom a comment was featured. Zero rather
 * than null so the `featured` thread order keyset-paginates on plain tuples, like the others.
 */
export const featured: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("comments")
      .addColumn("featured_at", "bigint", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable("comments").addColumn("featured_by", "text").execute();
    // The Picks strip: a story's featured comments, newest feature first.
    await db.schema
      .createIndex("comments_story_featured")
      .on("comments")
      .columns(["story_id", "featured_at"])
      .where(sql.ref("featured_at"), ">", 0)
      .execute();
    // sort=featured: picks first, then the newest, among a story's top-level comments.
    await db.schema
      .createIndex("comments_story_featured_order")
      .on("comments")
      .columns(["story_id", "parent_id", "featured_at", "created_at", "id"])
      .execute();
  },
};
