import { type ChildProcess, fork } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { availableParallelism } from "node:os";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

/** The answer when the hashing queue is full. */
export const hashingBusy = () =>
  new AppError(503, ErrorCodes.SERVICE_UNAVAILABLE, "Signing in is busy right now; try again in a few seconds.", undefined, { "retry-after": "2" });

/**
 * argon2 runs in a child process, a few hashes at a time, and the child exits when idle.
 *
 * Why not in the server: each hash allocates its memory cost (19 MiB by default) on libuv's
 * threads, and glibc keeps it. After the first free, malloc's dynamic threshold serves the
 * next 19 MiB blocks from per-thread arenas instead of mmap, so a few concurrent sign-ups
 * left 60–80 MB in the server's RSS for good (measured: 43 → 121 MB after 20 hashes, 4 at a
 * time). In the child, `MALLOC_MMAP_THRESHOLD_` pins the threshold so every block is
 * mmapped and unmapped when freed, and the child's whole footprint goes when it exits.
 *
 * The cost: the first hash after an idle spell waits for the child to start (~60 ms), and
 * each one crosses a pipe (well under a millisecond against the hash's ~50 ms).
 */
/** Hashes at once: the machine's cores, at most 4 (each takes a core and 19 MiB for ~50 ms). */
const MAX_CONCURRENT = Math.max(1, Math.min(4, availableParallelism()));
/**
 * Hashes that may wait for a place (about 1.5 s of work). Past that, sign-in and sign-up answer 503 with
 * Retry-After at once: a burst of password work must not queue up behind itself and slow
 * every other request, and a client told to come back is better off than one left hanging.
 */
export const MAX_WAITING = 32 * MAX_CONCURRENT;
const IDLE_EXIT_MS = 30_000;
/** Below glibc's default (128 KiB) so that argon2's blocks are always mapped on their own. */
const MMAP_THRESHOLD = "131072";

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}
type Job = { op: "hash"; password: string; memoryCost: number } | { op: "verify"; password: string; hash: string };
type Reply = { id: number; value?: string | boolean; error?: string };

/** The worker script next to this file: TypeScript when running from source, JavaScript when built. */
function workerPath(): string {
  const js = fileURLToPath(new URL("./hash-worker.js", import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL("./hash-worker.ts", import.meta.url));
}

const LOADER_FLAGS = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader"]);

/**
 * Of the server's Node flags, only those that load code (tsx, when running from source): the
 * rest (`--inspect`, `--cpu-prof`, `--input-type`, heap sizes) are the server's, not the child's.
 */
export function loaderFlags(argv: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (LOADER_FLAGS.has(flag) && i + 1 < argv.length) kept.push(flag, argv[++i]);
    else if (LOADER_FLAGS.has(flag.split("=")[0])) kept.push(flag);
  }
  return kept;
}

class HashPool {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Jobs waiting for one of the MAX_CONCURRENT places. */
  private readonly queue: (() => void)[] = [];
  private running = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async run(job: Job): Promise<string | boolean> {
    if (this.running >= MAX_CONCURRENT) {
      if (this.queue.length >= MAX_WAITING) throw hashingBusy();
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running += 1;
    try {
      return await this.send(job);
    } finally {
      this.running -= 1;
      this.queue.shift()?.();
      if (this.running === 0) this.idle();
    }
  }

  private send(job: Job): Promise<string | boolean> {
    const child = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ id, ...job }, (error) => {
        if (error) this.settle({ id, error: error.message });
      });
    });
  }

  private start(): ChildProcess {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.child) {
      this.child.ref();
      this.child.channel?.ref();
      return this.child;
    }
    const child = fork(workerPath(), [], {
      execArgv: loaderFlags(process.execArgv),
      env: { ...process.env, MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "json",
    });
    child.on("message", (reply: Reply) => this.settle(reply));
    child.once("exit", (code, signal) => {
      if (this.child === child) this.child = undefined;
      const reason = new Error(`the password hashing process ended (${signal ?? code})`);
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(reason);
      }
    });
    child.on("error", () => undefined);
    this.child = child;
    return child;
  }

  private settle(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.error !== undefined) p.reject(new Error(reply.error));
    else p.resolve(reply.value ?? false);
  }

  /** Nothing in hand: the child no longer keeps the server alive, and exits after a while. */
  private idle(): void {
    const child = this.child;
    if (!child) return;
    child.unref();
    child.channel?.unref();
    this.idleTimer = setTimeout(() => {
      if (this.running === 0 && this.child === child) {
        this.child = undefined;
        child.disconnect();
      }
    }, IDLE_EXIT_MS);
    this.idleTimer.unref();
  }
}

const pool = new HashPool();

export async function hashInPool(password: string, memoryCost: number): Promise<string> {
  return String(await pool.run({ op: "hash", password, memoryCost }));
}

export async function verifyInPool(hash: string, password: string): Promise<boolean> {
  return (await pool.run({ op: "verify", password, hash })) === true;
}

/** The hashing process's id while it runs (for tests and diagnostics). */
export function hashPoolPid(): number | undefined {
  return pool.pid;
}
