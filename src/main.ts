import module from "node:module";

// Node 22+ keeps the compiled code of Parley and its dependencies on disk between starts: a
// restart loads its modules in half the time. The modules load after this line, hence the imports below.
module.enableCompileCache?.();
const { ConfigError, loadConfig } = await import("./config.js");
const { default: cluster } = await import("node:cluster");

/**
 * Start: config -> store -> app -> listen. With PARLEY_WORKERS > 1 this process becomes the
 * primary (src/primary.ts) and each worker it starts runs this same file to the end.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`parley: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    // The primary serves nothing: it never loads the app (its memory stays a bare Node's).
    const { runPrimary } = await import("./primary.js");
    const workers = config.workers;
    const primary = await runPrimary({
      workers,
      ready: () => process.stdout.write(`Parley is running at ${config.publicUrl} (${workers} workers)\n`),
    });
    const stop = async () => {
      await primary.stop();
      process.exit(0);
    };
    process.once("SIGINT", () => void stop());
    process.once("SIGTERM", () => void stop());
    return;
  }
  // Worker 0 (or the only process) does the start-up work that must happen once.
  const first = !cluster.isWorker || process.env.PARLEY_WORKER_INDEX === "0";
  const { seedDemo } = await import("./demo/seed.js");
  const { buildApp } = await import("./http/app.js");
  const { rolesToReview } = await import("./accounts/role-grants.js");
  const app = await buildApp({ config });
  if (first && config.demo) {
    const demo = await seedDemo(app.deps);
    if (demo) app.log.info({ story: demo.storyId }, "seeded the demo story");
  }
  const unexplained = first ? await rolesToReview(app.deps) : [];
  if (unexplained.length > 0) {
    app.log.warn(
      { accounts: unexplained.length },
      "some accounts hold a role that no admin or command granted (sign-ups could name their own role before 0.2): review them with `npm run parley -- users review-roles`",
    );
  }
  const close = async (signal: string) => {
    app.log.info({ signal }, "shutting down");
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void close("SIGINT"));
  process.once("SIGTERM", () => void close("SIGTERM"));
  await app.listen({ port: config.port, host: config.host });
  // A worker's primary says so once all of them listen.
  if (!cluster.isWorker) process.stdout.write(`Parley is running at ${config.publicUrl}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`parley: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
