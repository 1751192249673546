import { type Kysely, type Migration } from "kysely";

/**
 * Corrections: a reader's suggestion (a passage of the article, an explanation, evidence),
 * decided by the newsroom into a public correction note on the story or declined privately.
 * `passage` is the quoted passage folded (case and whitespace) so suggestions on the same
 * passage group together in the desk.
 */
export const corrections: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("corrections")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("story_id", "text", (c) => c.notNull())
      .addColumn("author_id", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("quote_text", "text")
      .addColumn("passage", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("evidence_url", "text")
      .addColumn("held", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("reasons", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("note", "text")
      .addColumn("decline_reason", "text")
      .addColumn("decided_by", "text")
      // Accepted with another suggestion on the same passage: that one carries the public note.
      .addColumn("merged_into", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("decided_at", "bigint")
      .execute();
    // The desk's queue: by status, oldest first; a story's accepted corrections for its page.
    await db.schema.createIndex("corrections_status").on("corrections").columns(["status", "created_at", "id"]).execute();
    await db.schema
      .createIndex("corrections_story")
      .on("corrections")
      .columns(["story_id", "status", "created_at", "id"])
      .execute();
    await db.schema.createIndex("corrections_passage").on("corrections").columns(["story_id", "passage"]).execute();
    await db.schema.createIndex("corrections_author").on("corrections").columns(["author_id"]).execute();
  },
};
