import type { Kysely, Migration } from "kysely";

/** The moderation dashboard reads a site's comments by time. */
export const indexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex("comments_site_time").on("comments").columns(["site_id", "created_at"]).execute();
  },
};
