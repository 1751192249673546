import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Store } from "../../src/store/db.js";
import { tableColumns } from "../../src/store/tables.js";

/**
 * Tables left out of the "a refused request changes nothing" checksum. `rate_limits` counts
 * attempts by design: a refused request may (and should) count against its sender.
 * Kysely's own migration bookkeeping never changes at run time.
 */
export const NOT_STATE = new Set(["rate_limits", "kysely_migration", "kysely_migration_lock", "outbox_leases"]);
/**
 * Background workers move these rows along (attempts, status, leases) whatever the requests
 * do; only which rows exist counts as state here, so a refusal that enqueues a job still shows.
 */
const IDENTITY_ONLY: Record<string, string> = { outbox_jobs: "id" };

/** A hash per table of every row (but `NOT_STATE` tables), independent of row order. */
export async function tableHashes(store: Store): Promise<Record<string, string>> {
  const tables = [...(await tableColumns(store)).keys()].filter((name) => !NOT_STATE.has(name)).sort();
  const loose = store.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const out: Record<string, string> = {};
  for (const table of tables) {
    const key = IDENTITY_ONLY[table];
    const rows = key ? await loose.selectFrom(table).select(key).execute() : await loose.selectFrom(table).selectAll().execute();
    const lines = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).sort();
    out[table] = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
  }
  return out;
}

/** One hash of the whole database state (see `tableHashes`). */
export async function databaseChecksum(store: Store): Promise<string> {
  return createHash("sha256").update(JSON.stringify(await tableHashes(store))).digest("hex");
}

/** The tables whose rows differ between two `tableHashes`. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]);
}
