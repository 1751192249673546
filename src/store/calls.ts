import { type Kysely, sql } from "kysely";
import type Sqlite from "better-sqlite3";
import type { Database } from "./schema.js";

/** Whether the database answers a trivial query (throws when it does not). */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** PostgreSQL's NOTIFY on a channel (the live fan-out between nodes). */
export async function pgNotify(db: Kysely<Database>, channel: unknown, payload: unknown): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

/** PostgreSQL's current snapshot, as text: it changes when any transaction commits (the page cache's change token). */
export async function pgSnapshot(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db);
  return result.rows[0].s;
}

/** SQLite's change counter on this connection: data version and total changes, as text (the page cache's change token). */
export function sqliteChangeCounter(writer: Sqlite.Database): () => string {
  const dataVersion = writer.prepare<[], number>("pragma data_version").pluck();
  const changes = writer.prepare<[], number>("select total_changes()").pluck();
  return () => `${dataVersion.get()}:${changes.get()}`;
}
