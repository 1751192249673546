import { type ChildProcess, fork } from "node:child_process";
import { cpSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = join(ROOT, ".tmp", "bench-build");

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(dir, f));
}

/**
 * Compiles the app and bench/server.ts to plain JavaScript (file by file, as `npm run build`
 * does), so the server runs as it does in production: without tsx's loader thread and
 * transform caches, which alone add some 90 MB of resident memory.
 */
export async function buildServer(): Promise<string> {
  rmSync(OUT, { recursive: true, force: true });
  await build({
    entryPoints: [...sources(join(ROOT, "src")), join(ROOT, "bench", "server.ts")],
    outdir: OUT,
    outbase: ROOT,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  // Data files the code reads next to itself (the classifier's weights, word lists).
  cpSync(join(ROOT, "src"), join(OUT, "src"), { recursive: true, filter: (from) => !from.endsWith(".ts") });
  return join(OUT, "bench", "server.js");
}

export interface ServerUnderTest {
  base: string;
  pid: number;
  /** The processes that serve: the server itself, or with PARLEY_WORKERS > 1 its workers. */
  workers: number[];
  /** Resident and peak resident memory of the server process, in MB (Linux /proc); of the largest worker when there are workers. */
  memory(): { rssMB: number; peakMB: number };
  /** The same for each serving process, and the primary's when there are workers. */
  memoryEach(): { pid: number; role: "server" | "primary" | "worker"; rssMB: number; peakMB: number }[];
  /** Resident memory by kind of mapping, in MB: files (code), the brk heap (malloc), anonymous maps (V8, threads' arenas). */
  residentByKind(): Record<string, number>;
  /** CPU seconds (user + system) the server process (and its workers, if any) has used so far (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

function statusField(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : NaN;
}

/** The Node flags `npm start` runs the server with (package.json), so the bench measures the same process. */
export function productionNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith("--"));
}

/** Starts the bench server (built JavaScript, or the TypeScript source through tsx) on a loopback port. */
export async function startServer(entry: string, env: Record<string, string>): Promise<ServerUnderTest> {
  const child: ChildProcess = fork(entry, [], {
    // BENCH_NODE_ARGS passes Node flags to the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    execArgv: [
      ...(entry.endsWith(".ts") ? ["--import", "tsx"] : []),
      ...productionNodeFlags(),
      ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
    ],
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const { port, pids } = await new Promise<{ port: number; pids: number[] }>((resolve, reject) => {
    // Workers start one after another, each loading the whole app: slow on a loaded machine.
    const timer = setTimeout(() => reject(new Error("the server did not start within 180 s")), 180_000);
    child.once("message", (m: { port?: number; pids?: number[] }) => {
      clearTimeout(timer);
      if (m.port) resolve({ port: m.port, pids: m.pids ?? [] });
      else reject(new Error("the server reported no port"));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening`));
    });
  });
  const pid = child.pid ?? 0;
  const serving = pids.length > 0 ? pids : [pid];
  const memoryOf = (p: number) => ({ rssMB: statusField(p, "VmRSS"), peakMB: statusField(p, "VmHWM") });
  const cpuOf = (p: number) => {
    try {
      // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses.
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return 0;
    }
  };
  return {
    base: `http://127.0.0.1:${port}`,
    pid,
    workers: serving,
    memory: () => {
      const each = serving.map(memoryOf);
      return { rssMB: Math.max(...each.map((m) => m.rssMB)), peakMB: Math.max(...each.map((m) => m.peakMB)) };
    },
    memoryEach: () => [
      ...(pids.length > 0 ? [{ pid, role: "primary" as const, ...memoryOf(pid) }] : []),
      ...serving.map((p) => ({ pid: p, role: pids.length > 0 ? ("worker" as const) : ("server" as const), ...memoryOf(p) })),
    ],
    residentByKind: () => {
      const kinds: Record<string, number> = {};
      let kind = "anonymous";
      for (const line of readFileSync(`/proc/${serving[0]}/smaps`, "utf8").split("\n")) {
        const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
        if (mapping) {
          const name = mapping[1];
          kind =
            name === "" ? "anonymous" : name.startsWith("/") ? "files" : name === "[heap]" ? "malloc heap" : "other";
          continue;
        }
        const rss = /^Rss:\s+(\d+) kB/.exec(line);
        if (rss) kinds[kind] = (kinds[kind] ?? 0) + Number(rss[1]) / 1024;
      }
      for (const k of Object.keys(kinds)) kinds[k] = Math.round(kinds[k]);
      return kinds;
    },
    cpuSeconds: () => [...new Set([pid, ...serving])].reduce((sum, p) => sum + cpuOf(p), 0),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
