import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Deps } from "../deps.js";
import { claimDueJobs, releaseLease } from "../store/outbox-lease.js";
import type { OutboxJobKind, OutboxJobRow } from "../store/schema.js";
import { markAllDone, markFailed, pruneDone, release } from "./outbox.js";

/**
 * Does one job's work; throws to have it retried. `worker` is the id of the claim. A long
 * job checks `stopping` between its steps and throws `WorkerStopping` to be put down.
 */
export type JobHandler = (deps: Deps, job: OutboxJobRow, worker: string, stopping?: AbortSignal) => Promise<void>;

export type Handlers = Record<OutboxJobKind, JobHandler>;

/** Thrown by a long job whose worker is stopping: the job goes back to the queue, not counted as failed. */
export class WorkerStopping extends Error {
  constructor() {
    super("the worker is stopping");
  }
}

const PRUNE_EVERY_MS = 3600_000;
const KEEP_DONE_MS = 7 * 24 * 3600_000;

/**
 * Drains the outbox: claims due jobs (see `claimDueJobs`), runs them concurrently, and
 * marks each done, or failed with a backoff, or dead once out of attempts. Any number of
 * workers may run against one PostgreSQL database; on SQLite one holds the lease at a time.
 */
export class OutboxWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private lastPrune = 0;
  private stopping = new AbortController();

  constructor(
    private readonly deps: Deps,
    private readonly handlers: Handlers,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Finishes the jobs in hand (their leases would otherwise hold them back) and stops. A
   * long job (a story's followers) is put down at its next step and left for whichever worker comes next.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.wakeUp?.();
    await this.loop;
    this.loop = null;
    this.stopping = new AbortController();
    await releaseLease(this.deps.store, this.id).catch(() => undefined);
  }

  /** Claims one batch and runs it; returns how many jobs were claimed. */
  async drainOnce(): Promise<number> {
    const { deps } = this;
    const jobs = await claimDueJobs(deps.store, {
      worker: this.id,
      now: deps.clock.now(),
      leaseMs: deps.config.outbox.leaseMs,
      limit: deps.config.outbox.concurrency,
    });
    const done = await Promise.all(jobs.map((job) => this.runJob(job)));
    // One statement in a transaction for the whole batch: on SQLite it shares the group
    // commit with the posts around it instead of forcing a COMMIT (and an fsync) of its own per job.
    const ids = jobs.filter((_, i) => done[i]).map((job) => job.id);
    if (ids.length > 0) {
      await deps.store.db.transaction().execute((trx) => markAllDone(trx, ids, this.id, deps.clock.now()));
    }
    return jobs.length;
  }

  /** Drains until nothing is due (bounded): what tests and the worker loop use. */
  async drain(maxBatches = 10_000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await this.drainOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  /** Runs one job; true when it succeeded and is to be marked done. */
  private async runJob(job: OutboxJobRow): Promise<boolean> {
    const { deps } = this;
    try {
      await this.handlers[job.kind](deps, job, this.id, this.stopping.signal);
      return true;
    } catch (error) {
      if (error instanceof WorkerStopping) {
        await release(deps.store.db, job, this.id, deps.clock.now()).catch(() => undefined);
        return false;
      }
      // An SMTP refusal can quote the recipient; addresses stay out of the log and the dead-letter list.
      const message = (error instanceof Error ? error.message : String(error)).replace(/[^\s<>"',;:]+@[^\s<>"',;:]+/g, "[address]");
      const outcome = await markFailed(deps, job, this.id, message).catch(() => "unrecorded");
      // The key and kind identify the job; payloads (addresses, bodies) stay out of the log.
      deps.log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, outcome, error: message }, "outbox job failed");
      return false;
    }
  }

  private async run(): Promise<void> {
    const { deps } = this;
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.drainOnce();
        if (deps.clock.now() - this.lastPrune > PRUNE_EVERY_MS) {
          this.lastPrune = deps.clock.now();
          await pruneDone(deps.store.db, this.lastPrune - KEEP_DONE_MS);
        }
      } catch (error) {
        deps.log.warn({ err: error }, "outbox drain failed");
      }
      if (claimed === 0 && this.running) await this.sleep(deps.config.outbox.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
