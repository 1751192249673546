import { sql } from "kysely";
import type { Store } from "./db.js";

/**
 * The store's own tables with their columns: on PostgreSQL only those of its schema, read
 * from information_schema. Kysely's introspection lists every schema of the database, and
 * fails when another schema is dropped while it reads (parallel test suites do that).
 */
export async function tableColumns(store: Store): Promise<Map<string, Set<string>>> {
  const rows =
    store.dialect === "postgres"
      ? (
          await sql<{ table_name: string; column_name: string }>`
            select c.table_name, c.column_name
            from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
            where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(store.db)
        ).rows
      : (
          await sql<{ table_name: string; column_name: string }>`
            select m.name as table_name, p.name as column_name
            from sqlite_master m, pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite\_%' escape '\\'`.execute(store.db)
        ).rows;
  const result = new Map<string, Set<string>>();
  for (const { table_name, column_name } of rows) {
    let columns = result.get(table_name);
    if (!columns) result.set(table_name, (columns = new Set()));
    columns.add(column_name);
  }
  return result;
}
