import type { Kysely, Migration } from "kysely";

/**
 * A moderator's note on a user belongs to the site it was written for, so moderators of other
 * sites never read it; notes written before (null) stay with moderators of every site.
 */
export const siteNotes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("user_notes").addColumn("site_id", "text").execute();
  },
};
