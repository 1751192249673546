import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { repeatWhileOpen } from "../http/background.js";
import { checkBacklogs } from "./backlog.js";

const CHECK_EVERY_MS = 60_000;

/** Every minute, each site's moderation backlog against its `moderation.backlogAlertMinutes` (src/moderation/backlog.ts). */
export const backlogPlugin: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  repeatWhileOpen(app, "checking moderation backlogs", CHECK_EVERY_MS, () => checkBacklogs(deps));
};
