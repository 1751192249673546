import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { ping } from "../store/calls.js";
import { ErrorCodes } from "../shared/codes.js";
import { AppError } from "../errors.js";
import { ErrorSchema } from "./schemas.js";
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

const Ok = Type.Object({ ok: Type.Boolean() });

export const operationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps, metrics } = app;
  app.get("/healthz", { schema: { tags: ["operations"], summary: "The process runs", response: { 200: Ok } } }, async () => ({ ok: true }));

  app.get("/readyz", { schema: { tags: ["operations"], summary: "The database answers", response: { 200: Ok, 503: ErrorSchema } } }, async (_request, reply) => {
    try {
      await ping(deps.store.db);
      return { ok: true };
    } catch {
      return reply
        .code(503)
        .send({ error: { code: ErrorCodes.SERVICE_UNAVAILABLE, message: "The database does not answer." } });
    }
  });

  app.get(
    "/metrics",
    {
      config: { ownBearer: true },
      schema: { tags: ["operations"], summary: "Prometheus metrics (with PARLEY_METRICS_TOKEN as a bearer token; or on PARLEY_METRICS_PORT)" },
    },
    async (request, reply) => {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
      if (given === undefined) {
        throw new AppError(401, ErrorCodes.UNAUTHENTICATED, "Metrics need the token set in PARLEY_METRICS_TOKEN, sent as a bearer token (or scrape PARLEY_METRICS_PORT).");
      }
      const token = deps.config.metricsToken;
      if (token === null || !sameSecret(given, token)) {
        throw new AppError(403, ErrorCodes.FORBIDDEN, "That is not the metrics token (PARLEY_METRICS_TOKEN).");
      }
      return reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
};
