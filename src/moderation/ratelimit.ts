import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";

/**
 * Counters shared by every node, in the database or in Redis when configured. A window
 * starts at its first hit (not on a clock boundary), so "one comment per 5 s" never lets two
 * through 50 ms apart on either side of a boundary.
 */
export interface RateLimiter {
  /** Counts one hit; `retryAfterMs` > 0 when the hit is over the limit (and then it is not counted). */
  hit(key: string, limit: number, windowMs: number, now: number): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Gives back one counted hit (an attempt reserved before its outcome was known, that turned out not to count). */
  undo(key: string): Promise<void>;
  /** Ends the key's window at once (its next hit starts a new one). */
  clear(key: string): Promise<void>;
}

export function databaseRateLimiter(db: Kysely<Database>): RateLimiter {
  return {
    async hit(key, limit, windowMs, now) {
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
        return row ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: window.window_start + windowMs - now };
      });
    },
    async undo(key) {
      await db
        .updateTable("rate_limits")
        .set((eb) => ({ count: eb("count", "-", 1) }))
        .where("key", "=", key)
        .where("count", ">", 0)
        .execute();
    },
    async clear(key) {
      await db.deleteFrom("rate_limits").where("key", "=", key).execute();
    },
  };
}

/** The same window as the database's, in one atomic step: a hash of its start and count. */
const REDIS_HIT = `
local start = tonumber(redis.call('HGET', KEYS[1], 's'))
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if not start or start <= now - window then
  start = now
  redis.call('HSET', KEYS[1], 's', now, 'c', 0)
  redis.call('PEXPIRE', KEYS[1], window + 1000)
end
if tonumber(redis.call('HGET', KEYS[1], 'c')) >= limit then return {0, start} end
redis.call('HINCRBY', KEYS[1], 'c', 1)
return {1, start}`;

const REDIS_UNDO = `
local c = tonumber(redis.call('HGET', KEYS[1], 'c'))
if c and c > 0 then redis.call('HINCRBY', KEYS[1], 'c', -1) end
return 0`;

export function redisRateLimiter(redis: Redis): RateLimiter {
  return {
    async hit(key, limit, windowMs, now) {
      const [allowed, start] = (await redis.eval(REDIS_HIT, 1, `parley:rl:${key}`, now, windowMs, limit)) as [number, number];
      return allowed === 1 ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: start + windowMs - now };
    },
    async undo(key) {
      await redis.eval(REDIS_UNDO, 1, `parley:rl:${key}`);
    },
    async clear(key) {
      await redis.del(`parley:rl:${key}`);
    },
  };
}
