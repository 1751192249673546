import { noteRoutes } from "../notes/routes.js";
import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import type { Scorer } from "../classifier/types.js";
import { liveTransport, makeDeps } from "../runtime.js";
import { livePlugin } from "../live/plugin.js";
import { bridgingPlugin } from "../bridging/plugin.js";
import { backlogPlugin } from "../moderation/backlog-plugin.js";
import { accountRoutes } from "../accounts/routes.js";
import { articleRoutes } from "../articles/routes.js";
import { analyzeRoutes } from "../classifier/routes.js";
import { commentRoutes } from "../comments/routes.js";
import { correctionRoutes } from "../corrections/routes.js";
import { embedRoutes } from "../embed/routes.js";
import type { Config } from "../config.js";
import type { Clock, Ids } from "../context.js";
import { reactionRoutes } from "../reactions/routes.js";
import { adminRoutes } from "../moderation/admin-routes.js";
import { moderationRoutes } from "../moderation/routes.js";
import { complianceRoutes } from "../compliance/routes.js";
import { isAllowedOrigin, ensureDefaultSite } from "../site/service.js";
import { type Store, openStore } from "../store/db.js";
import { inWorkerCluster } from "../workers.js";
import { storyRoutes } from "../stories/routes.js";
import { installAuth } from "./auth.js";
import { installErrorHandling } from "./errors.js";
import { installValidation } from "./validation.js";
import { installClosedSchemas } from "./closed-schemas.js";
import { installCompression } from "./compression.js";
import { installFavicon } from "./favicon.js";
import { SERVER_LIMITS, installSecurity } from "./security.js";
import { createMetrics, installRequestTiming } from "./metrics.js";
import { operationRoutes } from "./operations.js";
import { installMetricsListener } from "./metrics-listener.js";
import { importRoutes } from "../portability/routes.js";
import { deskRoutes } from "../admin/routes.js";
import { statsRoutes } from "../moderation/stats-routes.js";
import { storyListRoutes } from "../stories/list-routes.js";
import { notificationRoutes } from "../notifications/plugin.js";
import "./types.js";

export interface AppOptions {
  config: Config;
  /** An open store; by default one is opened (and migrated) from `config.databaseUrl`. */
  store?: Store;
  clock?: Clock;
  ids?: Ids;
  /** The comment scorer; the local model by default. */
  scorer?: Scorer;
  /** Where log lines go instead of stdout: tests read them to check what never gets logged. */
  logStream?: { write(line: string): void };
}

const LOG_REDACTIONS = ["req.headers.authorization", "req.headers.cookie", 'req.headers["idempotency-key"]'];
/** Live streams take `?token=`: it never reaches the log. */
const redactUrl = (url: string) => url.replace(/([?&](?:token|key)=)[^&]*/g, "$1[redacted]");

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/**
 * The whole HTTP application. External plugins first, then shared services
 * (store, auth, metrics), then the routes of each domain.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: LOG_REDACTIONS,
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
      },
    },
    // A number of hops, as proxy-addr takes it: believe the nearest `n` forwarders, take the next address from the right.
    trustProxy: typeof config.trustProxy === "number" ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 200 },
    ...SERVER_LIMITS,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const store = options.store ?? (await openStore(config.databaseUrl, { statementTimeoutMs: config.dbStatementTimeoutMs, shared: inWorkerCluster() }));
  const { deps, redis } = await makeDeps({ config, store, log: app.log, clock: options.clock, ids: options.ids, scorer: options.scorer });
  await deps.live.start(await liveTransport(deps, redis));
  app.addHook("onClose", async () => {
    await deps.live.close();
    if (redis) await redis.quit();
  });
  app.decorate("deps", deps);
  const metrics = createMetrics();
  app.decorate("metrics", metrics);
  installRequestTiming(app, metrics);
  if (inWorkerCluster()) {
    // Which worker answered (PARLEY_WORKERS): for an operator checking the spread, and for the tests.
    const worker = process.env.PARLEY_WORKER_INDEX ?? "";
    app.addHook("onRequest", async (_request, reply) => void reply.header("parley-worker", worker));
  }
  installMetricsListener(app, config, metrics);
  if (!options.store) app.addHook("onClose", () => store.close());
  await ensureDefaultSite(deps);

  installValidation(app);
  app.decorate("routeSchemas", installClosedSchemas(app));
  installErrorHandling(app);
  installSecurity(app, config);
  if (config.compression) await installCompression(app);
  installFavicon(app);
  await app.register(cors, {
    origin: (origin, callback) => {
      if (!origin) return callback(null, true);
      isAllowedOrigin(deps, origin).then(
        (ok) => callback(null, ok),
        (error: Error) => callback(error, false),
      );
    },
    methods: ["GET", "POST", "PATCH", "PUT", "DELETE"],
    allowedHeaders: ["authorization", "content-type", "idempotency-key", "last-event-id"],
    exposedHeaders: ["retry-after"],
    maxAge: 600,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: "Parley API",
        version: "1.0.0",
        description:
          "The public HTTP contract of Parley. Errors share one shape: { error: { code, message, details? } }.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  installAuth(app);
  await app.register(operationRoutes);
  await app.register(accountRoutes);
  await app.register(storyRoutes);
  await app.register(commentRoutes);
  await app.register(correctionRoutes);
  await app.register(reactionRoutes);
  await app.register(moderationRoutes);
  await app.register(complianceRoutes);
  await app.register(adminRoutes);
  await app.register(livePlugin);
  await app.register(bridgingPlugin);
  await app.register(backlogPlugin);
  await app.register(noteRoutes);
  await app.register(embedRoutes);
  await app.register(articleRoutes);
  await app.register(analyzeRoutes);
  await app.register(importRoutes);
  await app.register(statsRoutes);
  await app.register(storyListRoutes);
  await app.register(deskRoutes);
  await app.register(notificationRoutes);
  return app;
}
