import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Dialect } from "../src/store/db.js";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database for tests and benchmarks: a SQLite file in a new temporary folder, or a
 * new schema of the PostgreSQL database at `postgresUrl` (through DATABASE_URL's `?schema=`).
 */
export function scratchDatabase(dialect: Dialect, postgresUrl: string, prefix: string): ScratchDatabase {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), `parley-${prefix}-`));
    return { url: `sqlite:${join(dir, "parley.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(postgresUrl);
  url.searchParams.set("schema", schema);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
