import pino from "pino";
import { ConfigError, loadConfig } from "../config.js";
import { makeDeps } from "../runtime.js";
import { openStore } from "../store/db.js";
import { HANDLERS } from "./handlers.js";
import { OutboxWorker } from "./worker.js";

/**
 * A worker without the HTTP server: `node --import tsx src/notifications/worker-main.ts`
 * (or `node dist/src/notifications/worker-main.js`), next to web nodes run with PARLEY_WORKER=false.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`parley-worker: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = pino({ level: config.logLevel });
  const store = await openStore(config.databaseUrl, { statementTimeoutMs: config.dbStatementTimeoutMs });
  // The worker never scores comments: it skips loading the model.
  const scorer = { name: "none", version: "0", score: () => Promise.reject(new Error("the outbox worker does not score comments")) };
  const { deps, redis } = await makeDeps({ config, store, log, scorer });
  const worker = new OutboxWorker(deps, HANDLERS);
  worker.start();
  log.info({ worker: worker.id }, "outbox worker started");
  const stop = async (signal: string) => {
    log.info({ signal }, "outbox worker stopping");
    await worker.stop();
    if (redis) await redis.quit();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`parley-worker: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
