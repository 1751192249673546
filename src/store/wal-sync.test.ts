import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Sqlite from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { StoreSqliteDialect } from "./sqlite-driver.js";
import { type LogSync, WalSync } from "./wal-sync.js";

interface Tables {
  notes: { id: number; text: string };
}

/** A log sync the test lets finish when it chooses. */
class HeldSync implements LogSync {
  calls = 0;
  private waiting: (() => void)[] = [];
  sync(): Promise<void> {
    this.calls += 1;
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  finish(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
  close(): void {}
}

const dir = mkdtempSync(join(tmpdir(), "parley-wal-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function open(name: string, wal: LogSync) {
  const conn = new Sqlite(join(dir, name));
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = NORMAL");
  conn.exec("create table notes (id integer primary key, text text not null)");
  return { conn, db: new Kysely<Tables>({ dialect: new StoreSqliteDialect(conn, true, wal) }) };
}

/** Whether a promise has settled after the event loop has had a few turns. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("SQLite writes and the log's sync", () => {
  it("acknowledges a transaction only once the log is synced, with one sync for the transactions committed together", async () => {
    const held = new HeldSync();
    const { db } = open("grouped.db", held);
    const writes = [1, 2, 3].map((id) =>
      db.transaction().execute((trx) =>
        trx
          .insertInto("notes")
          .values({ id, text: `note ${id}` })
          .execute(),
      ),
    );
    assert.equal(await settled(Promise.all(writes)), false, "nothing is acknowledged before the sync");
    assert.equal(held.calls, 1);
    held.finish();
    await Promise.all(writes);
    assert.equal((await db.selectFrom("notes").select("id").execute()).length, 3);
    await db.destroy();
  });

  it("acknowledges a write outside a transaction only once the log is synced", async () => {
    const held = new HeldSync();
    const { db } = open("alone.db", held);
    const write = db.insertInto("notes").values({ id: 1, text: "alone" }).execute();
    assert.equal(await settled(write), false);
    held.finish();
    await write;
    const read = db.selectFrom("notes").select("id").execute();
    assert.equal(await settled(read), true, "a read waits for no sync");
    assert.equal(held.calls, 1);
    await db.destroy();
  });

  it("syncs the real log file, and shares a sync among callers who arrive while one runs", async () => {
    const path = join(dir, "real.db");
    const wal = new WalSync(`${path}-wal`);
    await wal.sync(); // no log yet: nothing to sync
    const { db } = open("real.db", wal);
    await db.transaction().execute((trx) => trx.insertInto("notes").values({ id: 1, text: "durable" }).execute());
    const many = Array.from({ length: 10 }, () => wal.sync());
    await Promise.all(many);
    assert.equal(new Set(many.slice(1)).size, 1, "the callers after the first share one queued sync");
    const mode = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    assert.equal(mode.rows[0].synchronous, 1);
    await db.destroy();
  });
});
