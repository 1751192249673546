import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../src/store/schema.js";

/**
 * Tables left out of the "a refused request changes nothing" checksum. `rate_limits` counts
 * attempts by design: a refused request may (and should) count against its sender.
 * Kysely's own migration bookkeeping never changes at run time.
 */
export const NOT_STATE = new Set(["rate_limits", "kysely_migration", "kysely_migration_lock"]);

/** A hash of every row of every table (but `NOT_STATE`), independent of row order. */
export async function databaseChecksum(db: Kysely<Database>): Promise<string> {
  const tables = (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((name) => !NOT_STATE.has(name))
    .sort();
  const hash = createHash("sha256");
  const loose = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  for (const table of tables) {
    const rows = await loose.selectFrom(table).selectAll().execute();
    const lines = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).sort();
    hash.update(`${table}\n${lines.join("\n")}\n`);
  }
  return hash.digest("hex");
}
