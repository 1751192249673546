import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Sqlite from "better-sqlite3";
import { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { migrateToLatest } from "./migrations.js";
import { SchemaPostgresDialect } from "./pg-introspector.js";
import { pgTimeouts } from "./pg-timeouts.js";
import { StoreSqliteDialect } from "./sqlite-driver.js";
import { WalSync } from "./wal-sync.js";

export type Dialect = "sqlite" | "postgres";

/**
 * The database handles. `db` is the only writer; `read` serves lists and lookups
 * (on SQLite a second connection that WAL lets read while the writer commits).
 */
export interface Store {
  dialect: Dialect;
  /** The PostgreSQL schema the store works in ("public" unless DATABASE_URL names one). */
  schema?: string;
  db: Kysely<Database>;
  read: Kysely<Database>;
  /** The raw SQLite connection, for the online backup API and integrity checks. */
  sqlite?: Sqlite.Database;
  /**
   * Resolves once every commit this process can see is on disk. Only a SQLite file shared with
   * sibling processes needs it: a sibling's commit is visible before its log is synced.
   */
  durable?(): Promise<void>;
  close(): Promise<void>;
}

/** pg, loaded on first use: a SQLite deployment never pays its memory. */
async function loadPg() {
  const { default: pg } = await import("pg");
  // int8 (counts, millisecond times) as numbers: every value Parley stores fits in 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  return pg;
}

function openSqlite(path: string, readonly: boolean, shared = false): Sqlite.Database {
  const conn = new Sqlite(path, { readonly, fileMustExist: readonly });
  conn.pragma("busy_timeout = 5000");
  if (!readonly) {
    conn.pragma("journal_mode = WAL");
    // NORMAL: the driver syncs the log itself, off the event loop, before acknowledging a
    // write (see wal-sync.ts); a database without a log file (":memory:") keeps FULL.
    conn.pragma(path === ":memory:" ? "synchronous = FULL" : "synchronous = NORMAL");
  }
  conn.pragma("foreign_keys = ON");
  // better-sqlite3 builds SQLite with a 16 MiB page cache per connection: 32 MiB of resident
  // memory for the two, most of a server's malloc heap. The operating system caches the file
  // anyway; the writer's hot pages (the indexes' right edges, the story rows) fit in 4 MiB, and
  // the pages readers use most are served by the page cache (src/comments/page-cache.ts).
  conn.pragma(readonly ? "cache_size = -8000" : "cache_size = -4000");
  // A shared writer waits for its siblings' write lock in the driver, on a timer (sqlite-driver.ts).
  if (shared && !readonly) conn.pragma("busy_timeout = 0");
  return conn;
}

function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, "");
}

/** Splits Parley's own `schema` parameter off a PostgreSQL URL (used to isolate tests). */
export function postgresTarget(url: string): { connectionString: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`DATABASE_URL schema must be a plain lower-case identifier, got "${schema}"`);
  }
  return { connectionString: parsed.toString(), schema };
}

export async function openStore(
  databaseUrl: string,
  options: {
    migrate?: boolean;
    poolSize?: number;
    statementTimeoutMs?: number;
    /** Sibling processes write to the same SQLite file (PARLEY_WORKERS > 1). */
    shared?: boolean;
  } = {},
): Promise<Store> {
  const migrate = options.migrate ?? true;
  if (databaseUrl.startsWith("sqlite:")) {
    const path = sqlitePath(databaseUrl);
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const shared = options.shared === true && path !== ":memory:";
    const writer = openSqlite(path, false, shared);
    const wal = path === ":memory:" ? undefined : new WalSync(`${path}-wal`);
    const db = new Kysely<Database>({ dialect: new StoreSqliteDialect(writer, true, wal, shared) });
    if (migrate) await migrateToLatest(db as Kysely<unknown>);
    const reader = path === ":memory:" ? writer : openSqlite(path, true);
    const read = reader === writer ? db : new Kysely<Database>({ dialect: new StoreSqliteDialect(reader, false) });
    return {
      dialect: "sqlite",
      db,
      read,
      sqlite: writer,
      ...(shared && wal ? { durable: () => wal.sync() } : {}),
      async close() {
        if (read !== db) await read.destroy();
        await db.destroy();
      },
    };
  }
  const { connectionString, schema } = postgresTarget(databaseUrl);
  const pg = await loadPg();
  if (schema) {
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const connect = (max: number, statementTimeoutMs: number) => {
    const pool = new pg.Pool({
      connectionString,
      max,
      ...(schema ? { options: `-c search_path="${schema}"` } : {}),
      // A database that does not answer a new connection is a 503 after 5 s, not a request that hangs.
      connectionTimeoutMillis: 5000,
      ...pgTimeouts(statementTimeoutMs),
    });
    // A connection the server dropped (restart, failover) fails its query (a 503) and is replaced on
    // next use; without these listeners pg's "error" event, idle or mid-query, would end the process.
    pool.on("error", () => undefined);
    pool.on("connect", (client) => client.on("error", () => undefined));
    return new Kysely<Database>({ dialect: new SchemaPostgresDialect({ pool }) });
  };
  if (migrate) {
    // Migrations run on their own connection, without the per-statement bound: an index on a big table may take minutes.
    const migrator = connect(1, 0);
    try {
      await migrateToLatest(migrator as Kysely<unknown>, schema ?? "public");
    } finally {
      await migrator.destroy();
    }
  }
  const db = connect(options.poolSize ?? 10, options.statementTimeoutMs ?? 0);
  return {
    dialect: "postgres",
    schema: schema ?? "public",
    db,
    read: db,
    async close() {
      await db.destroy();
    },
  };
}
