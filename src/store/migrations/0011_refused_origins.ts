import type { Kysely, Migration } from "kysely";

/**
 * Origins that recently tried to embed a thread and were refused, so the desk can offer to allow
 * them. Kept in the database (not in memory) so every node's refusals reach the one list.
 */
export const refusedOrigins: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("refused_origins")
      .addColumn("origin", "text", (c) => c.primaryKey())
      .addColumn("page_url", "text")
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("first_seen_at", "bigint", (c) => c.notNull())
      .addColumn("last_seen_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("refused_origins_recent").on("refused_origins").column("last_seen_at").execute();
  },
};
