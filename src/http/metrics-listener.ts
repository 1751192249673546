import { type Server, createServer } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import { ErrorCodes } from "../shared/codes.js";
import type { Metrics } from "./metrics.js";

/**
 * `/metrics` on a listener of its own (`PARLEY_METRICS_PORT`, on `PARLEY_METRICS_HOST`,
 * 127.0.0.1 by default), without a token: for a Prometheus that scrapes the machine's own
 * address, while the public listener keeps /metrics behind `PARLEY_METRICS_TOKEN`.
 */
export function installMetricsListener(app: FastifyInstance, config: Config, metrics: Metrics): void {
  if (config.metricsPort === 0) return;
  let server: Server | undefined;
  app.addHook("onReady", async () => {
    server = createServer((request, response) => {
      if (request.method === "GET" && request.url?.split("?")[0] === "/metrics") {
        metrics.registry.metrics().then(
          (text) => response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
          () => response.writeHead(500).end(),
        );
        return;
      }
      response
        .writeHead(404, { "content-type": "application/json; charset=utf-8" })
        .end(JSON.stringify({ error: { code: ErrorCodes.NOT_FOUND, message: "This listener serves GET /metrics only." } }));
    });
    await new Promise<void>((resolve, reject) => {
      server?.once("error", reject);
      server?.listen(config.metricsPort, config.metricsHost, resolve);
    });
  });
  app.addHook("onClose", async () => {
    if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
  });
}
