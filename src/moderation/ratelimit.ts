import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import { clearRateWindow, hitRateWindow, undoRateHit } from "../store/rate-limits.js";
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
      const { counted, windowStart } = await hitRateWindow(db, { key, limit, windowMs, now });
      return counted ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: windowStart + windowMs - now };
    },
    undo: (key) => undoRateHit(db, key),
    clear: (key) => clearRateWindow(db, key),
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
