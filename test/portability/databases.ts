import pg from "pg";
import { freshDatabase } from "../helpers.js";
import { type Dialect, type Store, openStore, postgresTarget } from "../../src/store/db.js";

/**
 * A second fresh database next to a running test app. On PostgreSQL Kysely's migrator
 * looks for its own tables in every schema, finds the app's, and then misses them in the
 * new one; creating them first keeps each schema's migrations to itself.
 */
export async function emptyStore(dialect: Dialect): Promise<{ store: Store; url: string; close(): Promise<void> }> {
  const db = await freshDatabase(dialect);
  if (dialect === "postgres") {
    const { connectionString, schema } = postgresTarget(db.url);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(
        `CREATE TABLE "${schema}".kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null)`,
      );
      await client.query(
        `CREATE TABLE "${schema}".kysely_migration_lock (id varchar(255) primary key, is_locked integer not null default 0)`,
      );
    } finally {
      await client.end();
    }
  }
  const store = await openStore(db.url, { poolSize: 2 });
  return {
    store,
    url: db.url,
    async close() {
      await store.close();
      await db.drop();
    },
  };
}
