import type { Store } from "../store/db.js";
import { EXPORT_FORMAT, EXPORT_VERSION } from "./export.js";
import { ImportReport, type ImportSummary } from "./report.js";
import type { TextSource } from "./source.js";
import { tableColumns } from "../store/tables.js";
import { type PortableRow, insertPortableRows } from "./store.js";

/** Rows per insert; below SQLite's bound-parameter limit for any table Parley has. */
const BATCH = 200;

export class ExportVersionError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Loads a Parley export (`parley export`) as it is, ids included. A row whose key is
 * already here is left alone, so loading a file twice adds nothing and deletes nothing.
 */
export async function importJson(
  store: Store,
  source: TextSource,
  onProgress: () => void = () => undefined,
): Promise<ImportSummary> {
  const report = new ImportReport("json");
  const columns = await tableColumns(store);
  let batch: { table: string; rows: PortableRow[] } | undefined;
  let header = false;
  let ended = false;
  let lineNo = 0;

  const insertRows = async (table: string, rows: PortableRow[]) => {
    const inserted = await insertPortableRows(store.db, table, rows);
    report.added(table, inserted);
    report.existing(table, rows.length - inserted);
  };

  const flush = async () => {
    if (!batch || batch.rows.length === 0) return;
    const { table, rows } = batch;
    batch = undefined;
    try {
      await insertRows(table, rows);
    } catch {
      // One bad row (a missing parent, a clash on a unique e-mail) must not sink its neighbours.
      for (const row of rows) {
        try {
          await insertRows(table, [row]);
        } catch (error) {
          report.problem(`${table} rows refused by the database`, `${table} ${String(row.id ?? "")}: ${(error as Error).message}`);
        }
      }
    }
    onProgress();
  };

  for await (const raw of source.lines()) {
    lineNo += 1;
    const line = raw.trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      report.problem("lines that are not JSON", `line ${lineNo}`);
      continue;
    }
    if (!header) {
      if (!isRecord(value) || value.format !== EXPORT_FORMAT) {
        throw new ExportVersionError("This is not a Parley export: its first line has no parley-export header.");
      }
      if (value.version !== EXPORT_VERSION) {
        throw new ExportVersionError(`unexpected export version ${String(value.version)}; this Parley reads version ${EXPORT_VERSION}`);
      }
      header = true;
      continue;
    }
    if (isRecord(value) && value.end === true) {
      ended = true;
      continue;
    }
    if (!isRecord(value) || typeof value.table !== "string" || !isRecord(value.row)) {
      report.problem("lines that are not table rows", `line ${lineNo}`);
      continue;
    }
    source.records += 1;
    const known = columns.get(value.table);
    if (!known) {
      report.skipped(`rows of tables this database does not have (${value.table})`);
      continue;
    }
    const row: PortableRow = {};
    for (const [column, cell] of Object.entries(value.row)) {
      if (known.has(column)) row[column] = cell;
      else report.problem(`columns this database does not have`, `${value.table}.${column}`);
    }
    if (batch && batch.table !== value.table) await flush();
    batch ??= { table: value.table, rows: [] };
    batch.rows.push(row);
    if (batch.rows.length >= BATCH) await flush();
  }
  await flush();
  if (!header) throw new ExportVersionError("The file is empty: a Parley export starts with a header line.");
  if (!ended) report.problem("file ends early (no end line: truncated?)");
  return report.finish();
}
