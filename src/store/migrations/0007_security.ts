import type { Kysely, Migration } from "kysely";

/**
 * Sock-puppet resistance: a reaction from an account that has no published comment yet is
 * stored with `counted = 0` and joins the totals when that account's first comment is published.
 */
export const security: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("reactions").addColumn("counted", "integer", (c) => c.notNull().defaultTo(1)).execute();
    await db.schema.createIndex("reactions_waiting").on("reactions").columns(["user_id", "counted"]).execute();
  },
};
