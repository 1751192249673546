import type { FastifyBaseLogger } from "fastify";

/** The part of a Fastify instance a background job needs: the app's hooks and its log. */
interface HostApp {
  log: FastifyBaseLogger;
  addHook(name: "onReady" | "onClose", hook: () => Promise<void>): unknown;
}

/**
 * Work a node repeats in the background while its app is open: the first run one period after
 * the app is ready, never two runs at once (a slow run makes the next tick skip), stopped when
 * the app closes, which waits for a run in flight so none touches the store after it is closed.
 * A failed run is logged and the next one comes as usual.
 */
export function repeatWhileOpen(app: HostApp, what: string, everyMs: number, work: () => Promise<unknown>): void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return;
    running = work()
      .then(
        () => undefined,
        (error: unknown) => app.log.warn({ err: error }, `${what} failed`),
      )
      .finally(() => {
        running = null;
      });
  };
  app.addHook("onReady", async () => {
    timer = setInterval(run, everyMs);
    // Background work never keeps a process alive that has nothing else to do.
    timer.unref();
  });
  app.addHook("onClose", async () => {
    clearInterval(timer);
    timer = undefined;
    await running;
  });
}
