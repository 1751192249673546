import type { Actor } from "../accounts/actor.js";
import type { Deps } from "../deps.js";
import type { Metrics } from "./metrics.js";

declare module "fastify" {
  interface FastifyInstance {
    deps: Deps;
    metrics: Metrics;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}
