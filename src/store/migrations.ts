import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import { core } from "./migrations/0001_core.js";
import { moderation } from "./migrations/0002_moderation.js";
import { portability } from "./migrations/0003_portability.js";
import { accounts } from "./migrations/0004_accounts.js";
import { live } from "./migrations/0005_live.js";
import { notifications } from "./migrations/0006_notifications.js";
import { security } from "./migrations/0007_security.js";
import { bridging } from "./migrations/0008_bridging.js";
import { indexes } from "./migrations/0009_indexes.js";
import { siteNotes } from "./migrations/0010_site_notes.js";
import { refusedOrigins } from "./migrations/0011_refused_origins.js";
import { featured } from "./migrations/0012_featured.js";
import { storyTime } from "./migrations/0013_story_time.js";
import { corrections } from "./migrations/0017_corrections.js";
import { qa } from "./migrations/0018_qa.js";
import { storyPolicies } from "./migrations/0014_story_policies.js";
import { sectionModerators } from "./migrations/0015_section_moderators.js";
import { notes } from "./migrations/0020_notes.js";
import { statementsAppeals } from "./migrations/0021_statements_appeals.js";
import { notices } from "./migrations/0022_notices.js";
import { backlogAlerts } from "./migrations/0023_backlog_alerts.js";

/** Every migration, in order. Names sort; a new one gets the next number. */
const migrations: Record<string, Migration> = {
  "0001_core": core,
  "0002_moderation": moderation,
  "0003_portability": portability,
  "0004_accounts": accounts,
  "0005_live": live,
  "0006_notifications": notifications,
  "0007_security": security,
  "0008_bridging": bridging,
  "0009_indexes": indexes,
  "0010_site_notes": siteNotes,
  "0011_refused_origins": refusedOrigins,
  "0012_featured": featured,
  "0013_story_time": storyTime,
  "0017_corrections": corrections,
  "0018_qa": qa,
  "0014_story_policies": storyPolicies,
  "0015_section_moderators": sectionModerators,
  "0020_notes": notes,
  "0021_statements_appeals": statementsAppeals,
  "0022_notices": notices,
  "0023_backlog_alerts": backlogAlerts,
};

class CodeMigrations implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

/**
 * Applies every pending migration. On PostgreSQL, pass the schema the store works in:
 * the migrator must look for its bookkeeping tables there, not in whichever schema has them.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new CodeMigrations(),
    // Migrations of parallel work may land out of number order; each is independent of the others.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  // Kysely looks for its own tables by listing every table of the database; on PostgreSQL a
  // schema dropped meanwhile by someone else (parallel test suites do) fails that listing.
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
    const code = (error as { code?: unknown }).code;
    if (attempt >= 5 || (code !== "3F000" && code !== "42P01")) {
      throw error instanceof Error ? error : new Error(String(error));
    }
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}
