import type { Kysely, Migration } from "kysely";

/**
 * The moderation backlog alert's state per site: `raised_at` is set when the oldest pending
 * comment passed `moderation.backlogAlertMinutes` and the alert went out, and cleared when the
 * backlog cleared, which re-arms it (one alert per episode, whichever node checks).
 */
export const backlogAlerts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("backlog_alerts")
      .addColumn("site_id", "text", (c) => c.primaryKey().references("sites.id").onDelete("cascade"))
      .addColumn("raised_at", "bigint")
      .addColumn("cleared_at", "bigint")
      .execute();
  },
};
