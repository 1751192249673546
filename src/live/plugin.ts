import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { randomUUID } from "node:crypto";
import { repeatWhileOpen } from "../http/background.js";
import { takeLease } from "../store/leases.js";
import { pruneEvents } from "./store.js";
import { liveRoutes } from "./routes.js";

const PRUNE_EVERY_MS = 10 * 60_000;
/** This process, as the holder of the pruning lease. */
const NODE = randomUUID();

/**
 * Live streams: the SSE routes, and every ten minutes the pruning of story events older than
 * PARLEY_EVENT_RETENTION_HOURS (a reader away longer reloads the thread instead of resuming),
 * by one node or worker at a time: whoever holds the "prune-events" lease.
 */
export const livePlugin: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(liveRoutes);
  const { deps } = app;
  repeatWhileOpen(app, "pruning story events", PRUNE_EVERY_MS, async () => {
    const now = deps.clock.now();
    if (!(await takeLease(deps.store, { name: "prune-events", holder: NODE, now, ms: PRUNE_EVERY_MS + 60_000 }))) return;
    await pruneEvents(deps.store.db, now - deps.config.eventRetentionHours * 3600_000);
  });
};
