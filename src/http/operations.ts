import { type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { sql } from "kysely";
import { ErrorCodes } from "../shared/codes.js";

export const operationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps, metrics } = app;
  app.get("/healthz", { schema: { tags: ["operations"], summary: "The process runs" } }, async () => ({ ok: true }));

  app.get("/readyz", { schema: { tags: ["operations"], summary: "The database answers" } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.store.db);
      return { ok: true };
    } catch {
      return reply
        .code(503)
        .send({ error: { code: ErrorCodes.SERVICE_UNAVAILABLE, message: "The database does not answer." } });
    }
  });

  app.get("/metrics", { schema: { tags: ["operations"], summary: "Prometheus metrics" } }, async (_request, reply) =>
    reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
