import { type Kysely, type Migration } from "kysely";

/**
 * Q&A stories: a story's mode (`comments` or `qa`), and when a question (a top-level comment of
 * a `qa` story) was first answered by the newsroom, 0 while unanswered: zero rather than null so
 * the answered-first order keyset-paginates on plain tuples, like the featured order.
 */
export const qa: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("stories")
      .addColumn("mode", "text", (c) => c.notNull().defaultTo("comments"))
      .execute();
    await db.schema
      .alterTable("comments")
      .addColumn("answered_at", "bigint", (c) => c.notNull().defaultTo(0))
      .execute();
    // sort=answered and filter=answered|unanswered: a story's questions, answered first.
    await db.schema
      .createIndex("comments_story_answered_order")
      .on("comments")
      .columns(["story_id", "parent_id", "answered_at", "created_at", "id"])
      .execute();
  },
};
