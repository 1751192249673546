import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { repeatWhileOpen } from "../http/background.js";
import { runScheduledBridging } from "./refit.js";
import { bridgingRoutes } from "./routes.js";

const RESCORE_EVERY_MS = 60_000;

/**
 * Bridging: the rating routes, and (unless PARLEY_BRIDGING_REFIT_MINUTES=0) the scheduled work:
 * a full refit of every site each period and, every minute in between, rescoring the comments
 * rated since. One node at a time does it, the holder of the `bridging` lease.
 */
export const bridgingPlugin: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(bridgingRoutes);
  const { deps } = app;
  const minutes = deps.config.bridgingRefitMinutes;
  if (minutes <= 0) return;
  // The lease outlives one refit period, so a node that dies mid-refit hands over within one more.
  const leaseMs = (minutes + 2) * 60_000;
  repeatWhileOpen(app, "bridging refit", minutes * 60_000, () => runScheduledBridging(deps, "refit", leaseMs));
  repeatWhileOpen(app, "bridging rescore", RESCORE_EVERY_MS, () => runScheduledBridging(deps, "rescore", leaseMs));
};
