import { closeSync, fdatasync, openSync, statSync } from "node:fs";

/**
 * Makes the SQLite write-ahead log durable off the event loop. With `synchronous=FULL`
 * SQLite calls fsync inside COMMIT, and better-sqlite3 runs COMMIT on the main thread:
 * every request in the process stops for the disk (2–8 ms on the machines measured),
 * which capped posting far below what the CPU could do. Parley opens the writer with
 * `synchronous=NORMAL` instead (WAL frames are written at COMMIT, the log is synced at
 * checkpoints) and, before any write is acknowledged, calls `sync()`: an fdatasync of the
 * WAL file on libuv's thread pool. What is acknowledged is on disk exactly as with FULL;
 * other requests run while the disk works, and one sync serves every commit before it.
 *
 * Why this is as safe as FULL for what was acknowledged: WAL frames are appended with
 * checksums chained from the header, so after a power loss recovery keeps the log up to
 * the last complete commit and drops a torn tail, which holds only unacknowledged commits.
 * A log that restarts after a checkpoint is rewritten from its start only once the
 * checkpoint has synced the database file (SQLite does that at NORMAL too).
 *
 * The one difference: another connection can read a committed row a few milliseconds
 * before it is durable (with FULL it could not); its writer still hears nothing until then.
 */
/** What the driver needs of it (tests pass their own to hold a sync back). */
export interface LogSync {
  sync(): Promise<void>;
  close(): void;
}

export class WalSync implements LogSync {
  private fd: number | undefined;
  private inode = -1;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the log before this call is on disk. */
  sync(): Promise<void> {
    if (!this.running) return this.start();
    // The sync under way may have begun before the caller's writes: one more after it, shared.
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    return this.queued;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.inode = -1;
  }

  private start(): Promise<void> {
    const run = new Promise<void>((resolve, reject) => {
      const fd = this.open();
      if (fd === undefined) return resolve();
      fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    });
    this.running = run;
    const done = () => {
      if (this.running === run) this.running = undefined;
    };
    run.then(done, done);
    return run;
  }

  /** The log's descriptor, reopened if SQLite replaced the file; none before the first write. */
  private open(): number | undefined {
    let inode: number;
    try {
      inode = statSync(this.walPath).ino;
    } catch {
      // No log yet (nothing written since it was last removed): nothing to make durable.
      return undefined;
    }
    if (inode !== this.inode) {
      this.close();
      this.fd = openSync(this.walPath, "r");
      this.inode = inode;
    }
    return this.fd;
  }
}
