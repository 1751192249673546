import { type Kysely, type Migration } from "kysely";

/**
 * Newsroom policies: a story's section and its own policy settings (null: the section's or the
 * site's), and a reader's entitlements from the sign-in (a JSON array, e.g. ["subscriber"]).
 */
export const storyPolicies: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("stories").addColumn("section", "text").execute();
    await db.schema.alterTable("stories").addColumn("close_after_days", "integer").execute();
    await db.schema.alterTable("stories").addColumn("commenting", "text").execute();
    await db.schema.createIndex("stories_site_section").on("stories").columns(["site_id", "section"]).execute();
    await db.schema
      .alterTable("users")
      .addColumn("entitlements", "text", (c) => c.notNull().defaultTo("[]"))
      .execute();
  },
};
