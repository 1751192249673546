/**
 * The server under test, started by bench/core.ts as a child process so that the load
 * generator and the server do not share an event loop. It is the real app (`buildApp`)
 * plus bench-only routes:
 *
 *   POST /__bench/ceiling { url }  captures the body the real API answers for `url`;
 *   GET  /__ceiling                 answers that captured body from memory;
 *   GET  /__bench/cache             the page cache's hit counts;
 *   POST /__bench/cache { writesInvalidate }  switches how the page cache checks for changes;
 *   GET  /__bench/phases            with BENCH_PHASE_TIMES=1: time spent in each moderation
 *                                   phase and in whole requests (ms), since the last call.
 *
 * The ceiling route goes through the same app-wide hooks (CORS, auth, timing) as the
 * API, so it measures what this process can serve when reading a page costs nothing.
 * The chosen port is reported to the parent over the IPC channel.
 */
import cluster from "node:cluster";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { configurePageCache, pageCacheStats } from "../src/comments/page-cache.js";
import { loadConfig } from "../src/config.js";
import { buildApp } from "../src/http/app.js";
import { PHASES } from "../src/moderation/phases/index.js";

const config = loadConfig({ ...process.env, PARLEY_DEMO: "false" });

// With PARLEY_WORKERS > 1 this process is the primary, as `npm start`'s is (src/primary.ts):
// its workers run this file again and share one port, which the primary reports to the bench.
if (config.workers > 1 && cluster.isPrimary) {
  const { runPrimary } = await import("../src/primary.js");
  let port = 0;
  cluster.on("listening", (_worker, address) => (port ||= address.port));
  const primary = await runPrimary({ workers: config.workers });
  if (process.connected) process.send?.({ port, pids: primary.pids() });
  const stop = () => void primary.stop().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.once("disconnect", stop);
  // Nothing below runs in the primary.
  await new Promise(() => undefined);
}

const app = (await buildApp({ config })).withTypeProvider<TypeBoxTypeProvider>();

/**
 * Wall time per phase, by wrapping the pipeline's phases in place (posting uses this array).
 * With one connection nothing else runs meanwhile, so it is the phase's own time.
 */
const phaseTimes: Record<string, { calls: number; ms: number }> = {};
const timed = (name: string, ms: number) => {
  const entry = (phaseTimes[name] ??= { calls: 0, ms: 0 });
  entry.calls += 1;
  entry.ms += ms;
};
if (process.env.BENCH_PHASE_TIMES === "1") {
  PHASES.forEach((phase, i) => {
    PHASES[i] = async (submission) => {
      const started = performance.now();
      try {
        return await phase(submission);
      } finally {
        timed(phase.name, performance.now() - started);
      }
    };
  });
  const began = new WeakMap<object, number>();
  app.addHook("onRequest", async (request) => void began.set(request, performance.now()));
  app.addHook("onResponse", async (request) => {
    const started = began.get(request);
    if (started !== undefined && request.method === "POST")
      timed("whole request (server)", performance.now() - started);
  });
}

let ceiling = "{}";
app.post("/__bench/ceiling", { schema: { hide: true, body: Type.Object({ url: Type.String() }) } }, async (request) => {
  const res = await app.inject({ method: "GET", url: request.body.url });
  if (res.statusCode !== 200) throw new Error(`capturing ${request.body.url}: ${res.statusCode}`);
  ceiling = res.body;
  return { bytes: Buffer.byteLength(ceiling) };
});
app.get("/__ceiling", { schema: { hide: true } }, (_request, reply) => {
  reply.type("application/json; charset=utf-8").send(ceiling);
});
app.get("/__bench/cache", { schema: { hide: true } }, async () => pageCacheStats());
app.get("/__bench/phases", { schema: { hide: true } }, async () => {
  const snapshot = { ...phaseTimes };
  for (const key of Object.keys(phaseTimes)) delete phaseTimes[key];
  return snapshot;
});
app.get("/__bench/memory", { schema: { hide: true } }, async () => process.memoryUsage());
app.post(
  "/__bench/cache",
  { schema: { hide: true, body: Type.Object({ writesInvalidate: Type.Boolean() }) } },
  async (request) => {
    configurePageCache({ writesInvalidate: request.body.writesInvalidate });
    return pageCacheStats();
  },
);

await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
const port = typeof address === "object" && address ? address.port : 0;
if (!cluster.isWorker) process.send?.({ port });

const close = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGTERM", close);
process.once("SIGINT", close);
// A worker's channel is to its primary, which stops it with SIGTERM.
if (!cluster.isWorker) process.once("disconnect", close);
