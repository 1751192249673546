import type { Store } from "../store/db.js";
import { tableColumns } from "../store/tables.js";
import { PORTABLE_TABLES, type PortableRow, portableRows } from "./store.js";

export const EXPORT_FORMAT = "parley-export";
export const EXPORT_VERSION = 1;

/** The first line of an export file. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  dialect: string;
  site: string | null;
  tables: string[];
}

/** One row: `{"table": "comments", "row": {...}}`; the last line is `{"end": true, "counts": {...}}`. */
export interface ExportLine {
  table: string;
  row: PortableRow;
}

export interface ExportResult {
  counts: Record<string, number>;
}

/**
 * Writes everything (or one site) as JSON lines: a versioned header, one line per row in
 * dependency order, and an end line with the counts, so a truncated file is recognised.
 * Reads happen in one snapshot (a read transaction), so the file is consistent while
 * the site keeps serving writes.
 */
export async function exportAll(
  store: Store,
  write: (line: string) => void | Promise<void>,
  options: { site?: string | null; now?: () => number } = {},
): Promise<ExportResult> {
  const site = options.site ?? null;
  const columns = await tableColumns(store);
  const existing = new Set(columns.keys());
  const tables = PORTABLE_TABLES.filter((t) => existing.has(t.name));
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(options.now?.() ?? Date.now()).toISOString(),
    dialect: store.dialect,
    site,
    tables: tables.map((t) => t.name),
  };
  await write(JSON.stringify(header));
  const counts: Record<string, number> = {};
  const reader = store.dialect === "postgres" ? store.db : store.read;
  let tx = reader.transaction();
  if (store.dialect === "postgres") tx = tx.setIsolationLevel("repeatable read");
  await tx.execute(async (trx) => {
    for (const table of tables) {
      counts[table.name] = 0;
      for await (const rows of portableRows(trx, table, site, existing)) {
        for (const row of rows) await write(JSON.stringify({ table: table.name, row } satisfies ExportLine));
        counts[table.name] += rows.length;
      }
    }
  });
  await write(JSON.stringify({ end: true, counts }));
  return { counts };
}
