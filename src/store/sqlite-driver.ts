import type Sqlite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
  type TransactionSettings,
} from "kysely";
import type { LogSync } from "./wal-sync.js";

/** Prepared statements kept per connection; Parley issues a few hundred distinct queries. */
const STATEMENT_CACHE = 500;

/** better-sqlite3 statements by SQL text, so each distinct query is compiled by SQLite once. */
class Statements {
  private readonly cache = new Map<string, Sqlite.Statement>();
  constructor(private readonly conn: Sqlite.Database) {}

  get(sql: string): Sqlite.Statement {
    let stmt = this.cache.get(sql);
    if (stmt) {
      // Least recently used first out: move the hit to the end.
      this.cache.delete(sql);
    } else {
      stmt = this.conn.prepare(sql);
      if (this.cache.size >= STATEMENT_CACHE) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(sql, stmt);
    return stmt;
  }
}

function run(stmts: Statements, query: CompiledQuery, stmt = stmts.get(query.sql)): QueryResult<unknown> {
  const parameters = query.parameters as unknown[];
  if (stmt.reader) return { rows: stmt.all(parameters) };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** How long a write waits for a sibling process's write lock before failing (as busy_timeout did). */
const BUSY_WAIT_MS = 5_000;

const isBusy = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" && error.code.startsWith("SQLITE_BUSY");

/** A FIFO lock: SQLite has one connection, used by one caller at a time. */
class Mutex {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Someone waits for the lock. */
  get contended(): boolean {
    return this.waiting.length > 0;
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

/**
 * Transactions whose work is done, waiting for the one COMMIT (and fsync) they share. A member's
 * `commitTransaction` resolves only after that COMMIT, so nothing is acknowledged before it is on disk.
 */
class Group {
  members = 0;
  flushScheduled = false;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;
  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A group may fail with nobody waiting yet (every member rolled back); that is not unhandled.
    this.done.catch(() => undefined);
  }
}

/** One caller's hold on the connection, from acquireConnection to releaseConnection. */
class Lease implements DatabaseConnection {
  released = false;
  /** The group this lease's transaction joined (a transaction is a SAVEPOINT inside it). */
  member: Group | undefined;
  /** A group whose uncommitted rows a plain read saw: the caller waits for its COMMIT. */
  sawGroup: Group | undefined;
  /** A write outside a transaction committed on its own: the caller waits for the log's sync. */
  wroteAlone = false;
  constructor(private readonly driver: GroupCommitDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.driver.shared) return this.driver.execute(this, query) as QueryResult<R>;
    // A write outside a transaction, while a sibling process holds the write lock: wait off the event loop.
    return (await this.driver.whileBusy(() => this.driver.execute(this, query))) as QueryResult<R>;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error("Only select queries can be streamed on SQLite");
    // Its own statement: a cached one could be asked to run again while this iterator is open.
    for (const row of this.driver.prepareUncached(query.sql).iterate(query.parameters as unknown[])) {
      yield { rows: [row as R] };
    }
  }
}

/**
 * Kysely's SQLite driver, with a statement cache and group commit. With `synchronous=FULL`
 * every COMMIT waits for the disk; under concurrent writes that wait, not the work, sets the
 * pace. Here a transaction runs as a SAVEPOINT inside one shared transaction, and the COMMIT
 * runs once the transactions already waiting for the connection have had their turn: one
 * fsync for all of them. Each transaction still succeeds or fails alone (ROLLBACK TO its
 * savepoint), and its `execute()` returns only after the shared COMMIT is durable. A write
 * outside a transaction commits the group first and then runs on its own; a read outside one
 * may see the group's rows and so waits, like its members, for the COMMIT.
 *
 * With a `WalSync`, the COMMIT does not wait for the disk (`synchronous=NORMAL`) and the log
 * is synced on the thread pool instead: a group, or a write outside a transaction, is
 * acknowledged only after that sync (see wal-sync.ts).
 */
export class GroupCommitDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly statements: Statements;
  private group: Group | undefined;

  /**
   * `shared`: other processes write to the same file (PARLEY_WORKERS > 1). SQLite's busy
   * handler would then sleep on the event loop whenever a sibling holds the write lock, so the
   * writer is opened with `busy_timeout = 0` and the driver waits here instead, on a timer:
   * the process keeps serving while it waits. Transactions begin IMMEDIATE, taking the write
   * lock before their first read: a deferred one that read first could not upgrade once a
   * sibling had committed (SQLITE_BUSY_SNAPSHOT, which no waiting cures).
   */
  constructor(
    private readonly conn: Sqlite.Database,
    private readonly grouped: boolean,
    private readonly wal?: LogSync,
    readonly shared = false,
  ) {
    this.statements = new Statements(conn);
  }

  /** Runs `work` until no sibling holds the lock it needs (at most BUSY_WAIT_MS), waiting on timers. */
  async whileBusy<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return work();
      } catch (error) {
        if (!isBusy(error) || this.conn.inTransaction || Date.now() > deadline) throw error;
      }
      // A sibling's transaction is short: look again at once a few times, then every millisecond.
      await new Promise((resolve) => (attempt < 3 ? setImmediate(resolve) : setTimeout(resolve, 1)));
    }
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return new Lease(this);
  }

  prepareUncached(sql: string): Sqlite.Statement {
    return this.conn.prepare(sql);
  }

  execute(lease: Lease, query: CompiledQuery): QueryResult<unknown> {
    const group = this.group;
    if (!group) {
      const stmt = this.statements.get(query.sql);
      if (!stmt.reader && !this.conn.inTransaction) lease.wroteAlone = true;
      return run(this.statements, query, stmt);
    }
    if (lease.member) {
      try {
        return run(this.statements, query);
      } catch (error) {
        // SQLite ended the whole shared transaction (a full disk, an I/O error): every member fails with it.
        if (!this.conn.inTransaction && this.group === group) {
          this.group = undefined;
          group.reject(error);
        }
        throw error;
      }
    }
    const stmt = this.statements.get(query.sql);
    if (!stmt.reader) {
      this.commitNow(group);
      lease.wroteAlone = true;
      return run(this.statements, query, stmt);
    }
    lease.sawGroup = group;
    return run(this.statements, query, stmt);
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    const lease = connection as Lease;
    const begin = this.shared ? "begin immediate" : "begin";
    if (!this.grouped) {
      await this.whileBusy(() => this.raw(begin));
      return;
    }
    if (!this.group) {
      await this.whileBusy(() => this.raw(begin));
      this.group = new Group();
    }
    lease.member = this.group;
    this.raw("savepoint member");
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const group = lease.member;
    if (!group) {
      this.raw("commit");
      await this.wal?.sync();
      return;
    }
    this.raw("release member");
    group.members += 1;
    if (this.shared && !this.mutex.contended) {
      // Sibling processes wait for this write lock: with nobody here to share the COMMIT, commit now.
      this.commitNow(group);
      this.release(lease);
      await group.done;
      return;
    }
    this.scheduleCommit(group);
    // Let the next transaction in while this one waits for the shared COMMIT.
    this.release(lease);
    await group.done;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // Released into its group: the shared COMMIT failed, and the group is already gone.
    if (lease.released) return;
    const group = lease.member;
    lease.member = undefined;
    // SQLite ends the whole transaction itself on SQLITE_FULL, SQLITE_IOERR and the like; a
    // ROLLBACK then would fail with "no transaction is active" and hide the real error.
    if (!this.conn.inTransaction) {
      if (group && this.group === group) {
        this.group = undefined;
        group.reject(new Error("SQLite rolled the shared transaction back"));
      }
      return;
    }
    if (!group) {
      this.raw("rollback");
      return;
    }
    this.raw("rollback to member");
    this.raw("release member");
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler["compileQuery"]): Promise<void> {
    void connection;
    void compile;
    this.raw(`savepoint "${name}"`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    void connection;
    this.raw(`rollback to "${name}"`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    void connection;
    this.raw(`release "${name}"`);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const saw = lease.sawGroup;
    this.release(lease);
    if (saw) {
      this.scheduleCommit(saw);
      await saw.done;
    }
    if (lease.wroteAlone) await this.wal?.sync();
  }

  async destroy(): Promise<void> {
    if (this.group) this.commitNow(this.group);
    // Closing checkpoints the log into the database file and syncs it.
    this.conn.close();
    this.wal?.close();
  }

  /** Commits the open group now, when there is one (the caller holds the connection). */
  flush(): void {
    if (this.group) this.commitNow(this.group);
  }

  private release(lease: Lease): void {
    if (lease.released) return;
    lease.released = true;
    this.mutex.unlock();
  }

  private raw(sql: string): void {
    this.statements.get(sql).run();
  }

  /** After the callers ready now have taken their turn, take the connection and commit. */
  private scheduleCommit(group: Group): void {
    if (group.flushScheduled) return;
    group.flushScheduled = true;
    setImmediate(() => {
      void this.mutex.lock().then(() => {
        try {
          if (this.group === group) this.commitNow(group);
        } finally {
          this.mutex.unlock();
        }
      });
    });
  }

  private commitNow(group: Group): void {
    this.group = undefined;
    try {
      this.raw("commit");
    } catch (error) {
      if (this.conn.inTransaction) {
        try {
          this.raw("rollback");
        } catch {
          // The COMMIT's own error is the one to report.
        }
      }
      group.reject(error);
      return;
    }
    if (!this.wal) return group.resolve();
    this.wal.sync().then(
      () => group.resolve(),
      (error: unknown) => group.reject(error),
    );
  }
}

/** Kysely's SQLite dialect over Parley's driver: statement cache, and group commit on the writer. */
export class StoreSqliteDialect extends SqliteDialect {
  constructor(
    private readonly conn: Sqlite.Database,
    private readonly grouped: boolean,
    private readonly wal?: LogSync,
    private readonly shared = false,
  ) {
    super({ database: conn });
  }

  override createDriver(): Driver {
    return new GroupCommitDriver(this.conn, this.grouped, this.wal, this.shared);
  }
}
