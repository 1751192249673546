import { randomBytes } from "node:crypto";
import cluster, { type Worker } from "node:cluster";
import { isBusMessage } from "./workers.js";

/**
 * The primary process of `npm start` with PARLEY_WORKERS > 1. It serves no request itself:
 * it starts the workers (node:cluster; they share the listening port, the kernel's and
 * Node's round robin spreads connections), relays their bus messages to each other
 * (src/workers.ts), starts a worker again when one dies, and stops them all on SIGTERM.
 *
 * Worker 0 starts alone first: it migrates the database and seeds the demo, so the others
 * open a database that is ready. Every worker gets the same PARLEY_SECRET (one is made up
 * here when none is set): a token signed by one worker must be good at another.
 */
export interface PrimaryOptions {
  workers: number;
  /** Extra environment for every worker. */
  env?: Record<string, string>;
  /** Told once every worker listens (e.g. to print that the server runs). */
  ready?: () => void;
  log?: (message: string) => void;
}

export interface Primary {
  /** The workers' process ids, by worker number. */
  pids(): number[];
  stop(): Promise<void>;
}

/** How soon a worker that died is started again; doubles while workers keep dying at once. */
const RESTART_MS = 500;

export async function runPrimary(options: PrimaryOptions): Promise<Primary> {
  const log = options.log ?? ((message: string) => process.stderr.write(`parley: ${message}\n`));
  const env = { PARLEY_SECRET: process.env.PARLEY_SECRET || randomBytes(32).toString("hex"), ...options.env };
  const workers = new Map<number, Worker>();
  let stopping = false;
  /** All workers listened once: from then on a worker that dies, even while starting again, is started again. */
  let up = false;
  let restartMs = RESTART_MS;

  const relay = (from: Worker, message: unknown) => {
    if (!isBusMessage(message)) return;
    for (const worker of workers.values()) {
      if (worker !== from && worker.isConnected()) worker.send(message);
    }
  };

  const start = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ ...env, PARLEY_WORKER_INDEX: String(index) });
      workers.set(index, worker);
      let listening = false;
      worker.on("message", (message: unknown) => relay(worker, message));
      worker.once("listening", () => {
        listening = true;
        restartMs = RESTART_MS;
        resolve();
      });
      worker.once("exit", (code, signal) => {
        if (workers.get(index) === worker) workers.delete(index);
        if (!listening) reject(new Error(`worker ${index} exited while starting (${signal ?? `code ${code}`})`));
        if (stopping || !up) return;
        log(`worker ${index} (pid ${worker.process.pid}) died (${signal ?? `code ${code}`}); starting it again`);
        // Not unref'd: with every worker dead, this timer is what keeps the primary alive to start them.
        setTimeout(() => {
          // A failed start exits too, and that exit schedules the next attempt.
          if (!stopping) start(index).catch(() => undefined);
        }, restartMs);
        restartMs = Math.min(restartMs * 2, 30_000);
      });
    });

  const stop = async () => {
    stopping = true;
    await Promise.all(
      [...workers.values()].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once("exit", () => resolve());
            worker.process.kill("SIGTERM");
          }),
      ),
    );
  };

  try {
    await start(0);
    await Promise.all(Array.from({ length: options.workers - 1 }, (_, i) => start(i + 1)));
  } catch (error) {
    await stop();
    throw error;
  }
  up = true;
  options.ready?.();
  return {
    pids: () => [...workers.entries()].sort(([a], [b]) => a - b).map(([, w]) => w.process.pid ?? 0),
    stop,
  };
}
