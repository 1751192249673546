import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import { pgNotify } from "./store/calls.js";
import { loadLocalScorer } from "./classifier/index.js";
import type { Scorer } from "./classifier/types.js";
import type { Config } from "./config.js";
import { type Clock, type Ids, systemClock, timeOrderedIds } from "./context.js";
import type { Deps } from "./deps.js";
import { databaseRateLimiter, redisRateLimiter } from "./moderation/ratelimit.js";
import { EventSpine } from "./events/spine.js";
import { registerLiveConsumers } from "./live/consumer.js";
import { LiveHub } from "./live/hub.js";
import { registerNotificationConsumers } from "./notifications/consumer.js";
import { registerComplianceConsumers } from "./compliance/statements.js";
import { type Transport, localTransport, postgresTransport, redisTransport, workersTransport } from "./live/transport.js";
import { inWorkerCluster } from "./workers.js";
import { type Store, postgresTarget } from "./store/db.js";

/**
 * Wires the dependencies every use case takes; the caller closes `redis` when it is done.
 * ioredis (like pg) is loaded only when configured: a SQLite node never pays its memory.
 */
export async function makeDeps(parts: {
  config: Config;
  store: Store;
  log: FastifyBaseLogger;
  clock?: Clock;
  ids?: Ids;
  scorer?: Scorer;
}): Promise<{ deps: Deps; redis: Redis | null }> {
  const { config, store } = parts;
  const clock = parts.clock ?? systemClock;
  const redis = config.redisUrl ? new (await import("ioredis")).Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : null;
  const deps: Deps = {
    config,
    store,
    clock,
    ids: parts.ids ?? timeOrderedIds(clock),
    log: parts.log,
    limiter: redis ? redisRateLimiter(redis) : databaseRateLimiter(store.db),
    scorer: parts.scorer ?? loadLocalScorer(),
    live: new LiveHub(store.read, (error) => parts.log.warn({ err: error }, "live update failed")),
    events: eventSpine(),
  };
  return { deps, redis };
}

/**
 * Every domain event's consumers, in the order they run in the write's transaction: story
 * events for live readers (and, after the commit, the page cache and the desks' queues), then
 * outbox jobs for webhooks, notifications and account mail. See docs/ARCHITECTURE.md.
 */
export function eventSpine(): EventSpine {
  const spine = new EventSpine();
  registerLiveConsumers(spine);
  registerNotificationConsumers(spine);
  registerComplianceConsumers(spine);
  return spine;
}

/**
 * The fan-out between nodes: Redis when configured, else PostgreSQL LISTEN/NOTIFY, else, for
 * the workers of one server on SQLite, the primary's IPC relay; else none.
 */
export async function liveTransport(deps: Deps, redis: Redis | null): Promise<Transport> {
  if (redis) return redisTransport(redis);
  if (deps.store.dialect === "postgres") {
    return postgresTransport(postgresTarget(deps.config.databaseUrl), {
      query: (_text, values) => pgNotify(deps.store.db, values[0], values[1]),
    });
  }
  return inWorkerCluster() ? workersTransport() : localTransport();
}
