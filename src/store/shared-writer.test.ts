import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Sqlite from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { StoreSqliteDialect } from "./sqlite-driver.js";

/**
 * Two writers on one SQLite file, as two workers of PARLEY_WORKERS hold them (here in one
 * process, which is the hard case: a writer that slept in SQLite's busy handler would stop the
 * very event loop the lock holder needs to finish).
 */
interface Tables {
  notes: { id: number; text: string };
}

const dir = mkdtempSync(join(tmpdir(), "parley-shared-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function writer(path: string): Kysely<Tables> {
  const conn = new Sqlite(path);
  conn.pragma("journal_mode = WAL");
  conn.pragma("busy_timeout = 0");
  return new Kysely<Tables>({ dialect: new StoreSqliteDialect(conn, true, undefined, true) });
}

describe("writers sharing a SQLite file", () => {
  it("waits for a sibling's write lock on timers, keeps the event loop running, and loses no write", async () => {
    const path = join(dir, "shared.db");
    const a = writer(path);
    const b = writer(path);
    await sql`create table notes (id integer primary key, text text not null)`.execute(a);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // A holds the lock (BEGIN IMMEDIATE) until the test lets it go.
    const first = a.transaction().execute(async (trx) => {
      await trx.insertInto("notes").values({ id: 1, text: "first" }).execute();
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // B reads first, then writes: it begins IMMEDIATE, so it waits for the lock instead of failing to upgrade.
    const second = b.transaction().execute(async (trx) => {
      const before = await trx.selectFrom("notes").select("id").execute();
      await trx.insertInto("notes").values({ id: 2, text: `second after ${before.length}` }).execute();
    });
    const alone = b.insertInto("notes").values({ id: 3, text: "outside a transaction" }).execute();
    // The timer below fires only if B's waiting leaves the event loop free; A then commits and B goes on.
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await Promise.all([first, second, alone]);
    const rows = await a.selectFrom("notes").selectAll().orderBy("id").execute();
    assert.deepEqual(
      rows.map((r) => r.text),
      ["first", "second after 1", "outside a transaction"],
    );
    await a.destroy();
    await b.destroy();
  });
});
