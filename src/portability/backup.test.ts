import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, it } from "node:test";
import Sqlite from "better-sqlite3";
import { BackupError, backupSqlite, restoreSqlite, sqliteFile } from "./backup.js";

const dir = mkdtempSync(join(tmpdir(), "parley-backup-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer process; resolves once it is ready, then collects its acknowledgements. */
async function startWriter(databasePath: string) {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "../../test/portability/writer.ts"), `sqlite:${databasePath}`, "20000", "30"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const acked: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line === "ready") resolve();
      else if (line.startsWith("ack ")) acked.push(line.slice(4));
    });
    child.once("exit", (code) => reject(new Error(`writer exited early with ${code}`)));
  });
  await ready;
  const waitFor = async (n: number) => {
    const until = Date.now() + 20_000;
    while (acked.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  };
  return { acked, waitFor, stop: async () => (child.kill("SIGTERM"), await exited) };
}

describe("backup and restore of SQLite", () => {
  it("backs up under write load: every comment acknowledged before the backup began is in the restored copy", async () => {
    const live = join(dir, "live.db");
    const writer = await startWriter(live);
    try {
      await writer.waitFor(300);
      const before = [...writer.acked];
      const backupFile = join(dir, "backup.db");
      await backupSqlite(live, backupFile);
      const countAtEnd = writer.acked.length;
      await writer.waitFor(countAtEnd + 200);
      assert.ok(writer.acked.length > countAtEnd, "the server kept writing after the backup");
      await assert.rejects(restoreSqlite(backupFile, live), /in use/, "restore refuses a running database");

      const restored = join(dir, "restored.db");
      await restoreSqlite(backupFile, restored);
      const db = new Sqlite(restored, { readonly: true });
      try {
        assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
        const ids = new Set(db.prepare("select id from comments").pluck().all() as string[]);
        const missing = before.filter((id) => !ids.has(id));
        assert.deepEqual(missing, [], `all ${before.length} acknowledged comments are in the copy`);
        assert.ok(ids.size >= before.length);
      } finally {
        db.close();
      }
    } finally {
      await writer.stop();
    }
  });

  it("refuses to overwrite an existing backup file and points PostgreSQL users to pg_dump", async () => {
    const path = join(dir, "exists.db");
    new Sqlite(path).close();
    await assert.rejects(backupSqlite(path, path), BackupError);
    assert.throws(() => sqliteFile("postgres://db/parley"), /pg_dump/);
  });
});
