import type { Actor } from "../accounts/actor.js";
import type { Deps } from "../deps.js";
import type { Metrics } from "./metrics.js";
import type { RouteSchemas } from "./closed-schemas.js";

declare module "fastify" {
  interface FastifyInstance {
    deps: Deps;
    metrics: Metrics;
    /** Every route with its request schemas, as registered (for the tests that walk them). */
    routeSchemas: RouteSchemas[];
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}
