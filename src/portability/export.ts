import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Store } from "../store/db.js";
import type { Database } from "../store/schema.js";
import { tableColumns } from "../store/tables.js";
import { PORTABLE_TABLES, type PortableRow, type PortableTable } from "./tables.js";

export const EXPORT_FORMAT = "parley-export";
export const EXPORT_VERSION = 1;
const PAGE = 1000;

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

const refs = (columns: string[]) => sql.join(columns.map((c) => sql.ref(c)));

/** Pages through one table (or one level of it) by its key: each page is a range scan. */
async function* pages(
  db: Kysely<Database>,
  table: PortableTable,
  where: RawBuilder<unknown>[],
): AsyncGenerator<PortableRow[]> {
  let after: unknown[] | undefined;
  for (;;) {
    const conditions = [...where];
    if (after) conditions.push(sql`(${refs(table.key)}) > (${sql.join(after.map((v) => sql`${v}`))})`);
    const filter = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
    const { rows } = await sql<PortableRow>`select * from ${sql.table(table.name)} ${filter}
      order by ${refs(table.key)} limit ${PAGE}`.execute(db);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = table.key.map((k) => last[k]);
  }
}

async function* tableRows(
  db: Kysely<Database>,
  table: PortableTable,
  site: string | null,
  existing: ReadonlySet<string>,
): AsyncGenerator<PortableRow[]> {
  const scope = site === null ? [] : [sql`(${table.site(site, existing)})`];
  if (!table.level) {
    yield* pages(db, table, scope);
    return;
  }
  const filter = scope.length ? sql`where ${scope[0]}` : sql``;
  const levels = await sql<{ level: number }>`select distinct ${sql.ref(table.level)} as level
    from ${sql.table(table.name)} ${filter} order by level`.execute(db);
  for (const { level } of levels.rows) {
    yield* pages(db, table, [...scope, sql`${sql.ref(table.level)} = ${level}`]);
  }
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
      for await (const rows of tableRows(trx, table, site, existing)) {
        for (const row of rows) await write(JSON.stringify({ table: table.name, row } satisfies ExportLine));
        counts[table.name] += rows.length;
      }
    }
  });
  await write(JSON.stringify({ end: true, counts }));
  return { counts };
}
