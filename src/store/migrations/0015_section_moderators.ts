import type { Kysely, Migration } from "kysely";

/**
 * A site moderator may be scoped to some of the site's sections (a JSON array; null: the whole
 * site), as a moderator is scoped to sites.
 */
export const sectionModerators: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("user_site_roles").addColumn("sections", "text").execute();
  },
};
