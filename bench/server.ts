/**
 * The server under test, started by bench/core.ts as a child process so that the load
 * generator and the server do not share an event loop. It is the real app (`buildApp`)
 * plus bench-only routes:
 *
 *   POST /__bench/ceiling { url }  captures the body the real API answers for `url`;
 *   GET  /__ceiling                 answers that captured body from memory;
 *   GET  /__bench/cache             the page cache's hit counts;
 *   POST /__bench/cache { writesInvalidate }  switches how the page cache checks for changes.
 *
 * The ceiling route goes through the same app-wide hooks (CORS, auth, timing) as the
 * API, so it measures what this process can serve when reading a page costs nothing.
 * The chosen port is reported to the parent over the IPC channel.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { configurePageCache, pageCacheStats } from "../src/comments/page-cache.js";
import { loadConfig } from "../src/config.js";
import { buildApp } from "../src/http/app.js";

const config = loadConfig({ ...process.env, PARLEY_DEMO: "false" });
const app = (await buildApp({ config })).withTypeProvider<TypeBoxTypeProvider>();

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
process.send?.({ port });

const close = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGTERM", close);
process.once("SIGINT", close);
process.once("disconnect", close);
