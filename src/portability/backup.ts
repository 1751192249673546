import { existsSync, rmSync } from "node:fs";
import Sqlite from "better-sqlite3";

export class BackupError extends Error {}

/** The file behind a `sqlite:` DATABASE_URL; PostgreSQL is backed up with pg_dump instead. */
export function sqliteFile(databaseUrl: string): string {
  if (!databaseUrl.startsWith("sqlite:")) {
    throw new BackupError(
      "parley backup and restore handle SQLite; for PostgreSQL use pg_dump and pg_restore (see docs/PORTABILITY.md).",
    );
  }
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/, "");
  if (path === ":memory:") throw new BackupError("An in-memory database cannot be backed up.");
  return path;
}

/**
 * A consistent copy of a live database through SQLite's online backup API. All pages are
 * copied in one step, inside one read transaction: under WAL the server keeps writing
 * meanwhile, and the copy is the database as it stood when that step began, so a write
 * that was acknowledged before the backup started is in it. (A copy in many small steps
 * restarts whenever another connection writes, and may never finish under load.)
 */
export async function backupSqlite(databasePath: string, target: string): Promise<{ pages: number }> {
  if (!existsSync(databasePath)) throw new BackupError(`There is no database at ${databasePath}.`);
  if (existsSync(target)) throw new BackupError(`${target} exists; choose a new file name for the backup.`);
  const source = new Sqlite(databasePath, { readonly: true, fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    let pages = 0;
    await source.backup(target, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        return 0x7fffffff;
      },
    });
    return { pages };
  } finally {
    source.close();
  }
}

/** True when another connection (a running Parley) has the database open. */
function inUse(path: string): boolean {
  const probe = new Sqlite(path, { fileMustExist: true });
  try {
    probe.pragma("busy_timeout = 0");
    // Leaving WAL needs the only connection; a running server keeps one open, so this fails.
    const mode = probe.pragma("journal_mode = DELETE", { simple: true });
    return String(mode).toLowerCase() !== "delete";
  } catch {
    return true;
  } finally {
    probe.close();
  }
}

/**
 * Restores a backup over the database file. Refuses while the database is open elsewhere
 * (stop Parley first) and checks the backup's integrity before touching anything.
 */
export async function restoreSqlite(backupPath: string, databasePath: string): Promise<{ pages: number }> {
  if (!existsSync(backupPath)) throw new BackupError(`There is no backup at ${backupPath}.`);
  const backup = new Sqlite(backupPath, { readonly: true, fileMustExist: true });
  try {
    const check = backup.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new BackupError(`The backup fails SQLite's integrity check: ${String(check)}`);
    if (existsSync(databasePath) && inUse(databasePath)) {
      throw new BackupError(`${databasePath} is in use: stop Parley before restoring over it.`);
    }
    for (const suffix of ["-wal", "-shm"]) rmSync(`${databasePath}${suffix}`, { force: true });
    let pages = 0;
    await backup.backup(databasePath, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        return 0x7fffffff;
      },
    });
    const restored = new Sqlite(databasePath);
    try {
      restored.pragma("journal_mode = WAL");
    } finally {
      restored.close();
    }
    return { pages };
  } finally {
    backup.close();
  }
}
