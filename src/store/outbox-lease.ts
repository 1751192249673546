import { sql } from "kysely";
import type { Store } from "./db.js";
import type { OutboxJobRow } from "./schema.js";

export interface Claim {
  /** Who claims: a worker id, unique per process. */
  worker: string;
  now: number;
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` due jobs for one worker and pushes their `due_at` out by the lease,
 * so a job whose worker dies comes back once the lease runs out.
 *
 * The one place the dialects differ: PostgreSQL lets any number of workers claim at once
 * (`FOR UPDATE SKIP LOCKED` hands each a disjoint set); SQLite has a single writer anyway,
 * so one worker at a time holds the `outbox` lease row and only its holder claims.
 */
export async function claimDueJobs(store: Store, claim: Claim): Promise<OutboxJobRow[]> {
  const { worker, now, leaseMs, limit } = claim;
  if (store.dialect === "postgres") {
    return store.db
      .updateTable("outbox_jobs")
      .set((eb) => ({ locked_by: worker, due_at: now + leaseMs, attempts: eb("attempts", "+", 1), updated_at: now }))
      .where("id", "in", (eb) =>
        eb
          .selectFrom("outbox_jobs")
          .select("id")
          .where("status", "=", "queued")
          .where("due_at", "<=", now)
          .orderBy("due_at")
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }
  return store.db.transaction().execute(async (trx) => {
    // The first statement writes, so SQLite takes its write lock at once (no deadlock on upgrade).
    const lease = await trx
      .updateTable("outbox_leases")
      .set({ holder: worker, expires_at: now + leaseMs })
      .where("name", "=", "outbox")
      .where((eb) => eb.or([eb("holder", "=", worker), eb("holder", "is", null), eb("expires_at", "<=", now)]))
      .executeTakeFirst();
    if (Number(lease.numUpdatedRows) === 0) return [];
    const due = await trx
      .selectFrom("outbox_jobs")
      .select("id")
      .where("status", "=", "queued")
      .where("due_at", "<=", now)
      .orderBy("due_at")
      .limit(limit)
      .execute();
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await trx
      .updateTable("outbox_jobs")
      .set({ locked_by: worker, due_at: now + leaseMs, attempts: sql`attempts + 1`, updated_at: now })
      .where("id", "in", ids)
      .execute();
    return trx.selectFrom("outbox_jobs").selectAll().where("id", "in", ids).execute();
  });
}

/** Lets another worker take over at once (a worker that stops cleanly gives its lease back). */
export async function releaseLease(store: Store, worker: string): Promise<void> {
  if (store.dialect !== "sqlite") return;
  await store.db
    .updateTable("outbox_leases")
    .set({ holder: null, expires_at: 0 })
    .where("name", "=", "outbox")
    .where("holder", "=", worker)
    .execute();
}
