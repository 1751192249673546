import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { repeatWhileOpen } from "../http/background.js";
import { pruneEvents } from "./store.js";
import { liveRoutes } from "./routes.js";

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Live streams: the SSE routes, and every ten minutes the pruning of story events older than
 * PARLEY_EVENT_RETENTION_HOURS (a reader away longer reloads the thread instead of resuming).
 */
export const livePlugin: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(liveRoutes);
  const { deps } = app;
  repeatWhileOpen(app, "pruning story events", PRUNE_EVERY_MS, () =>
    pruneEvents(deps.store.db, deps.clock.now() - deps.config.eventRetentionHours * 3600_000),
  );
};
