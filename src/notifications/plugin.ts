import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { notificationAdminRoutes } from "./admin-routes.js";
import { HANDLERS } from "./handlers.js";
import { readerNotificationRoutes } from "./routes.js";
import { OutboxWorker } from "./worker.js";

/**
 * Notifications and webhooks: the reader's and the admins' routes, and (unless
 * PARLEY_WORKER=false) the outbox worker of this process, stopped when the app closes.
 */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(readerNotificationRoutes);
  await app.register(notificationAdminRoutes);
  if (!app.deps.config.outbox.worker) return;
  const worker = new OutboxWorker(app.deps, HANDLERS);
  app.addHook("onReady", async () => worker.start());
  app.addHook("onClose", async () => worker.stop());
};
