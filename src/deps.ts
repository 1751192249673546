import type { FastifyBaseLogger } from "fastify";
import type { Config } from "./config.js";
import type { Clock, Ids } from "./context.js";
import type { Store } from "./store/db.js";

/** What every use case needs: configuration, the database, time and ids, a logger. */
export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  ids: Ids;
  log: FastifyBaseLogger;
}
