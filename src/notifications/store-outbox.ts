import type { Insertable, Kysely, Transaction } from "kysely";
import { prepared } from "../store/prepared.js";
import type { Database, OutboxJobRow, OutboxJobsTable } from "../store/schema.js";

/** The outbox's queries: jobs written with the change that caused them, then claimed, finished, retried, pruned. */

type Writer = Kysely<Database> | Transaction<Database>;

/** A job as it is written: every column given, so the insert compiles once (see store/prepared.ts). */
export type JobInsert = Required<Omit<Insertable<OutboxJobsTable>, "attempts">> & { attempts: number };
const COLUMNS = ["id", "kind", "key", "site_id", "payload", "status", "attempts", "due_at", "locked_by", "last_error", "created_at", "updated_at"] as const;
/** Every post enqueues one: compiled once. */
const insertJobQuery = prepared<JobInsert[keyof JobInsert][], never>((db, slot) =>
  db
    .insertInto("outbox_jobs")
    .values(Object.fromEntries(COLUMNS.map((c, i) => [c, slot(i)])) as unknown as JobInsert)
    .onConflict((oc) => oc.column("key").doNothing()),
);

/** Inserts a job unless one with its key exists; true when it was inserted. */
export async function insertJob(trx: Writer, row: JobInsert): Promise<boolean> {
  const result = await insertJobQuery(trx, ...COLUMNS.map((c) => row[c]));
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Inserts many jobs in one statement, leaving out those whose key exists already. */
export async function insertJobs(trx: Writer, rows: JobInsert[]): Promise<void> {
  await trx
    .insertInto("outbox_jobs")
    .values(rows)
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
}

/** Several finished jobs of one worker, in one statement. */
export async function markAllDone(db: Writer, ids: string[], worker: string, now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("outbox_jobs")
    .set({ status: "done", locked_by: null, last_error: null, updated_at: now })
    .where("id", "in", ids)
    .where("locked_by", "=", worker)
    .execute();
}

/** Rewrites a claimed job's payload and pushes its lease to `dueAt`; false when the job is no longer this worker's. */
export async function renewJobPayload(
  db: Writer,
  job: { id: string; worker: string; payload: string; dueAt: number; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable("outbox_jobs")
    .set({ payload: job.payload, due_at: job.dueAt, updated_at: job.now })
    .where("id", "=", job.id)
    .where("locked_by", "=", job.worker)
    .where("status", "=", "queued")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A job its worker put down unfinished: due again at once, and the attempt does not count. */
export async function releaseJob(db: Writer, id: string, worker: string, now: number): Promise<void> {
  await db
    .updateTable("outbox_jobs")
    .set((eb) => ({ due_at: now, locked_by: null, attempts: eb("attempts", "-", 1), updated_at: now }))
    .where("id", "=", id)
    .where("locked_by", "=", worker)
    .where("status", "=", "queued")
    .execute();
}

/** A failed attempt: queued again at `dueAt`, or dead. */
export async function failJob(
  db: Writer,
  job: { id: string; worker: string; dead: boolean; dueAt: number; error: string; now: number },
): Promise<void> {
  await db
    .updateTable("outbox_jobs")
    .set({ status: job.dead ? "dead" : "queued", due_at: job.dueAt, locked_by: null, last_error: job.error, updated_at: job.now })
    .where("id", "=", job.id)
    .where("locked_by", "=", job.worker)
    .execute();
}

/** Dead jobs of a site (or of every site), newest first, with a keyset cursor on the id. */
export async function deadJobs(db: Kysely<Database>, siteId: string | null, limit: number, before?: string) {
  let q = db.selectFrom("outbox_jobs").selectAll().where("status", "=", "dead");
  if (siteId !== null) q = q.where("site_id", "=", siteId);
  if (before) q = q.where("id", "<", before);
  return q.orderBy("id", "desc").limit(limit).execute();
}

/** A dead job queued again, with a fresh set of attempts. */
export async function requeueDeadJob(db: Kysely<Database>, id: string, now: number): Promise<OutboxJobRow | undefined> {
  return db
    .updateTable("outbox_jobs")
    .set({ status: "queued", attempts: 0, due_at: now, locked_by: null, updated_at: now })
    .where("id", "=", id)
    .where("status", "=", "dead")
    .returningAll()
    .executeTakeFirst();
}

/** A job's payload, as stored. */
export async function jobPayload(db: Writer, id: string): Promise<string | undefined> {
  const row = await db.selectFrom("outbox_jobs").select("payload").where("id", "=", id).executeTakeFirst();
  return row?.payload;
}

/** Done jobs are kept a week (admins look at recent ones), then pruned. */
export async function pruneDone(db: Kysely<Database>, before: number): Promise<void> {
  await db.deleteFrom("outbox_jobs").where("status", "=", "done").where("updated_at", "<", before).execute();
}
