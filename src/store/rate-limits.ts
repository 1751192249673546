import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/**
 * The rate-limit counters in the database: a window starts at its key's first hit. Counts one
 * hit unless the window already holds `limit`; returns whether it counted and when the window started.
 */
export async function hitRateWindow(
  db: Kysely<Database>,
  hit: { key: string; limit: number; windowMs: number; now: number },
): Promise<{ counted: boolean; windowStart: number }> {
  const { key, limit, windowMs, now } = hit;
  return db.transaction().execute(async (trx) => {
    const expired = now - windowMs;
    const window = await trx
      .insertInto("rate_limits")
      .values({ key, window_start: now, count: 0 })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet((eb) => ({
          count: eb.case().when("rate_limits.window_start", "<=", expired).then(0).else(eb.ref("rate_limits.count")).end(),
          window_start: eb.case().when("rate_limits.window_start", "<=", expired).then(now).else(eb.ref("rate_limits.window_start")).end(),
        })),
      )
      .returning("window_start")
      .executeTakeFirstOrThrow();
    const row = await trx
      .updateTable("rate_limits")
      .set((eb) => ({ count: eb("count", "+", 1) }))
      .where("key", "=", key)
      .where("count", "<", limit)
      .returning("count")
      .executeTakeFirst();
    return { counted: row !== undefined, windowStart: window.window_start };
  });
}

/** Gives back one counted hit of the key's window. */
export async function undoRateHit(db: Kysely<Database>, key: string): Promise<void> {
  await db
    .updateTable("rate_limits")
    .set((eb) => ({ count: eb("count", "-", 1) }))
    .where("key", "=", key)
    .where("count", ">", 0)
    .execute();
}

/** Ends the key's window at once. */
export async function clearRateWindow(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}
