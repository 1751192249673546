import type { Kysely, Migration } from "kysely";

/**
 * EU DSA statements of reasons (Art. 17) for every rejection or removal of a comment, and the
 * authors' appeals against them (Art. 20). A statement outlives its comment: the author keeps
 * the right to read it and to appeal, so it holds no foreign key to the comment.
 */
export const statementsAppeals: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("decision_statements")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("story_id", "text", (c) => c.notNull())
      .addColumn("comment_id", "text", (c) => c.notNull())
      .addColumn("author_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("ground", "text", (c) => c.notNull())
      .addColumn("law", "text")
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("explanation", "text", (c) => c.notNull())
      .addColumn("automated", "integer", (c) => c.notNull())
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "bigint", (c) => c.notNull())
      .addColumn("appeal_until", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("decision_statements_author")
      .on("decision_statements")
      .columns(["author_id", "decided_at", "id"])
      .execute();
    await db.schema.createIndex("decision_statements_comment").on("decision_statements").column("comment_id").execute();
    await db.schema
      .createTable("appeals")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("statement_id", "text", (c) => c.notNull().unique().references("decision_statements.id").onDelete("cascade"))
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("author_id", "text", (c) => c.notNull())
      .addColumn("explanation", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("note", "text")
      .addColumn("decided_by", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("decided_at", "bigint")
      .execute();
    await db.schema.createIndex("appeals_site_status").on("appeals").columns(["site_id", "status", "created_at"]).execute();
  },
};
