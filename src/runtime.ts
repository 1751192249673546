import type { FastifyBaseLogger } from "fastify";
import { Redis } from "ioredis";
import { loadLocalScorer } from "./classifier/index.js";
import type { Scorer } from "./classifier/types.js";
import type { Config } from "./config.js";
import { type Clock, type Ids, systemClock, timeOrderedIds } from "./context.js";
import type { Deps } from "./deps.js";
import { databaseRateLimiter, redisRateLimiter } from "./moderation/ratelimit.js";
import type { Store } from "./store/db.js";

/** Wires the dependencies every use case takes; the caller closes `redis` when it is done. */
export function makeDeps(parts: {
  config: Config;
  store: Store;
  log: FastifyBaseLogger;
  clock?: Clock;
  ids?: Ids;
  scorer?: Scorer;
}): { deps: Deps; redis: Redis | null } {
  const { config, store } = parts;
  const clock = parts.clock ?? systemClock;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : null;
  const deps: Deps = {
    config,
    store,
    clock,
    ids: parts.ids ?? timeOrderedIds(clock),
    log: parts.log,
    limiter: redis ? redisRateLimiter(redis) : databaseRateLimiter(store.db),
    scorer: parts.scorer ?? loadLocalScorer(),
  };
  return { deps, redis };
}
