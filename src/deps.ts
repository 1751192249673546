import type { FastifyBaseLogger } from "fastify";
import type { Config } from "./config.js";
import type { Clock, Ids } from "./context.js";
import type { Scorer } from "./classifier/types.js";
import type { RateLimiter } from "./moderation/ratelimit.js";
import type { LiveHub } from "./live/hub.js";
import type { Store } from "./store/db.js";
import type { EventSpine } from "./events/spine.js";

/** What every use case needs: configuration, the database, time and ids, a logger. */
export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  ids: Ids;
  log: FastifyBaseLogger;
  /** Shared counters for rate limits: the database, or Redis when REDIS_URL is set. */
  limiter: RateLimiter;
  /** Scores comments for the moderation pipeline: the local model unless a site configures another. */
  scorer: Scorer;
  /** Delivers story events to the readers connected to this node. */
  live: LiveHub;
  /** The consumers of domain events (`emit(trx, event)`), registered at composition time. */
  events: EventSpine;
}
