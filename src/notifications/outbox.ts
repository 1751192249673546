import type { Kysely, Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { Database, OutboxJobKind, OutboxJobRow } from "../store/schema.js";
import { type JobInsert, failJob, insertJob, insertJobs, markAllDone, releaseJob, renewJobPayload, requeueDeadJob } from "./store-outbox.js";

export { deadJobs, markAllDone, pruneDone } from "./store-outbox.js";

export interface NewJob {
  kind: OutboxJobKind;
  /** The idempotency key; a second job with the same key is not created. Defaults to a fresh one. */
  key?: string;
  siteId?: string | null;
  payload: unknown;
  /** Not before this time (a digest waits for its hour); now by default. */
  dueAt?: number;
}

type Writer = Kysely<Database> | Transaction<Database>;

function rowOf(deps: Deps, job: NewJob): JobInsert {
  const id = deps.ids.next();
  const now = deps.clock.now();
  return {
    id,
    kind: job.kind,
    key: job.key ?? `${job.kind}:${id}`,
    site_id: job.siteId ?? null,
    payload: JSON.stringify(job.payload),
    status: "queued" as const,
    attempts: 0,
    due_at: job.dueAt ?? now,
    locked_by: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Writes a job in the caller's transaction: it exists exactly when the change that caused
 * it commits. Returns the job id, or null when a job with the same key already exists.
 */
export async function enqueue(trx: Writer, deps: Deps, job: NewJob): Promise<string | null> {
  const row = rowOf(deps, job);
  return (await insertJob(trx, row)) ? row.id : null;
}

/** Writes many jobs in one statement; those whose key exists already are left out. */
export async function enqueueMany(trx: Writer, deps: Deps, jobs: NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await insertJobs(trx, jobs.map((job) => rowOf(deps, job)));
}

/**
 * Exponential backoff with full jitter: about `base`, `2 × base`, `4 × base`, … capped at
 * six hours, each drawn uniformly from its upper half so retries of many jobs spread out.
 */
export function retryDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(6 * 3600_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export async function markDone(db: Writer, job: OutboxJobRow, worker: string, now: number): Promise<void> {
  await markAllDone(db, [job.id], worker, now);
}

/**
 * Rewrites a claimed job's payload (how far a long job got, or a secret it no longer needs)
 * and renews its lease, in the caller's transaction so the progress commits with the work
 * it records. False when the job is no longer this worker's (its lease ran out and another
 * worker claimed it): the caller must then roll its work back.
 */
export async function updatePayload(db: Writer, deps: Deps, job: OutboxJobRow, worker: string, payload: unknown): Promise<boolean> {
  const now = deps.clock.now();
  return renewJobPayload(db, { id: job.id, worker, payload: JSON.stringify(payload), dueAt: now + deps.config.outbox.leaseMs, now });
}

/** A job its worker put down unfinished (it is stopping): due again at once, and the attempt does not count. */
export async function release(db: Writer, job: OutboxJobRow, worker: string, now: number): Promise<void> {
  await releaseJob(db, job.id, worker, now);
}

/** A failed attempt: back to the queue after a backoff, or dead once out of attempts. */
export async function markFailed(
  deps: Deps,
  job: OutboxJobRow,
  worker: string,
  error: string,
): Promise<"retry" | "dead"> {
  const now = deps.clock.now();
  const { maxAttempts, retryBaseMs } = deps.config.outbox;
  const dead = job.attempts >= maxAttempts;
  await failJob(deps.store.db, {
    id: job.id,
    worker,
    dead,
    dueAt: dead ? now : now + retryDelay(job.attempts, retryBaseMs),
    error: error.slice(0, 1000),
    now,
  });
  return dead ? "dead" : "retry";
}

export interface JobView {
  id: string;
  kind: OutboxJobKind;
  key: string;
  siteId: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export const presentJob = (row: OutboxJobRow): JobView => ({
  id: row.id,
  kind: row.kind,
  key: row.key,
  siteId: row.site_id,
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** An admin sends a dead job round again, with a fresh set of attempts. */
export async function requeueDead(deps: Deps, id: string): Promise<OutboxJobRow | undefined> {
  const now = deps.clock.now();
  return requeueDeadJob(deps.store.db, id, now);
}
