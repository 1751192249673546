import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";

/** Fixed-window counters shared by every node: in the database, or in Redis when configured. */
export interface RateLimiter {
  /** Counts one hit; `retryAfterMs` > 0 when the hit is over the limit (and then it is not counted). */
  hit(key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
}

export function databaseRateLimiter(db: Kysely<Database>): RateLimiter {
  return {
    async hit(key, limit, windowMs, now) {
      const windowStart = now - (now % windowMs);
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto("rate_limits")
          .values({ key, window_start: windowStart, count: 0 })
          .onConflict((oc) =>
            oc.column("key").doUpdateSet((eb) => ({
              count: eb
                .case()
                .when("rate_limits.window_start", "<", windowStart)
                .then(0)
                .else(eb.ref("rate_limits.count"))
                .end(),
              window_start: windowStart,
            })),
          )
          .execute();
        const row = await trx
          .updateTable("rate_limits")
          .set((eb) => ({ count: eb("count", "+", 1) }))
          .where("key", "=", key)
          .where("count", "<", limit)
          .returning("count")
          .executeTakeFirst();
        return row
          ? { allowed: true, retryAfterMs: 0 }
          : { allowed: false, retryAfterMs: windowStart + windowMs - now };
      });
    },
  };
}

export function redisRateLimiter(redis: Redis): RateLimiter {
  return {
    async hit(key, limit, windowMs, now) {
      const windowStart = now - (now % windowMs);
      const redisKey = `parley:rl:${key}:${windowStart}`;
      const count = await redis.incr(redisKey);
      if (count === 1) await redis.pexpire(redisKey, windowMs + 1000);
      if (count > limit) return { allowed: false, retryAfterMs: windowStart + windowMs - now };
      return { allowed: true, retryAfterMs: 0 };
    },
  };
}
