/**
 * npm run bench:live: how many live readers a node holds, and how fast a comment reaches them.
 *
 * Each row starts one or two Parley nodes (the app compiled to JavaScript, as in production),
 * opens N server-sent-event streams on one story from a separate load process
 * (bench/live-load.ts), posts comments at a steady rate from this process, and reports the
 * delivery latency from the POST's 201 to receipt at each reader (p50, p99, max), events
 * lost (must be 0) and each node's resident memory. Servers and the load process run under
 * `ulimit -n` raised as far as the machine allows.
 *
 *   --rows 1x1000,1x5000,1x10000,2x10000-postgres,2x10000-redis   which rows (default: all)
 *   --rate 5 --seconds 20     comments per second, and for how long
 *   --db sqlite|postgres       the database of the one-node rows (default sqlite)
 *   --out bench/results/live.json
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { openStore } from "../src/store/db.js";
import { scratchDatabase } from "../test/scratch.js";
import type { Opened, OpenRequest, Summary } from "./live-load.js";
import { body, random, seedPeople } from "./lib/seed.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT_DIR = join(ROOT, ".tmp", "bench-live-build");
const PG_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.BENCH_REDIS_URL || "redis://127.0.0.1:6379";
const FD_LIMIT = 65_536;

const option = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const rate = Number(option("rate") ?? 5);
const seconds = Number(option("seconds") ?? 20);
const oneNodeDb = (option("db") ?? "sqlite") as "sqlite" | "postgres";
const out = option("out") ?? join(ROOT, "bench", "results", "live.json");
const rowNames = (option("rows") ?? "1x1000,1x5000,1x10000,2x10000-postgres,2x10000-redis").split(",");
const POSTERS = Math.max(50, rate * seconds);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface RowPlan {
  name: string;
  nodes: number;
  readers: number;
  database: "sqlite" | "postgres";
  transport: "local" | "postgres" | "redis";
}

function plan(name: string): RowPlan {
  const match = /^(\d)x(\d+)(?:-(postgres|redis))?$/.exec(name);
  if (!match) throw new Error(`--rows: "${name}" is not like 1x10000 or 2x10000-redis`);
  const nodes = Number(match[1]);
  const database = nodes > 1 || match[3] ? "postgres" : oneNodeDb;
  const transport = match[3] === "redis" ? "redis" : database === "postgres" ? "postgres" : "local";
  return { name, nodes, readers: Number(match[2]), database, transport };
}

/** The app and the load process as plain JavaScript: no tsx loader thread in the measured memory. */
async function compile(): Promise<void> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const src = join(ROOT, "src");
  const entries = readdirSync(src, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(src, f));
  await build({
    entryPoints: [...entries, join(ROOT, "bench", "live-load.ts")],
    outdir: OUT_DIR,
    outbase: ROOT,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  cpSync(src, join(OUT_DIR, "src"), { recursive: true, filter: (from) => !from.endsWith(".ts") });
}

/** Runs `node <entry>` with the open-files limit raised (to the hard limit when 65,536 is refused). */
function spawnWithFds(entry: string, env: Record<string, string>, ipc: boolean, nodeArgs: string[] = []): ChildProcess {
  const script = `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "${process.execPath}" "$@"`;
  const child = spawn("bash", ["-c", script, "bash", ...nodeArgs, entry], {
    cwd: ROOT,
    // One process per node: this bench measures nodes, not PARLEY_WORKERS.
    env: { ...process.env, PARLEY_WORKERS: "1", ...env },
    stdio: ["ignore", "pipe", "inherit", ...(ipc ? (["ipc"] as const) : [])],
  });
  // The nodes log warnings and errors (LOG_LEVEL=warn) as JSON lines: shown, so a failed load is not silent.
  child.stdout?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.startsWith("{")) log(`  [node] ${line.slice(0, 300)}`);
  });
  return child;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function memoryOf(pid: number): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Math.round(Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) / 1024);
  return { rssMB: field("VmRSS"), peakMB: field("VmHWM") };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}


/** Migrates, lifts the limits meant for people (a bench posts many comments a second from one address) and seeds posters. */
async function prepare(url: string): Promise<string[]> {
  const store = await openStore(url, { poolSize: 2 });
  try {
    const moderation = {
      rateLimits: { enabled: false },
      duplicates: { exactWindowMinutes: 0, nearWindowHours: 0, spamAccounts: 1000 },
      thresholds: { toxicity: 1, insult: 1, identityAttack: 1, threat: 1, profanity: 1, spam: 1 },
      suspectWords: [],
    };
    await store.db
      .insertInto("sites")
      .values({ id: "default", name: "Default site", origins: JSON.stringify(["https://news.example"]), settings: JSON.stringify({ moderation }), created_at: Date.now() })
      .execute();
    return (await seedPeople(store, Date.now(), POSTERS)).map((p) => p.token);
  } finally {
    await store.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function startNode(env: Record<string, string>, port: number): Promise<{ child: ChildProcess; base: string }> {
  const profile = option("profile");
  const child = spawnWithFds(
    join(OUT_DIR, "src", "main.js"),
    { ...env, PORT: String(port), HOST: "127.0.0.1" },
    false,
    profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [],
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the node on ${port} exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ok) return { child, base };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stopChild(child);
  throw new Error(`the node on ${port} did not become ready within 60 s`);
}

function ask<T>(child: ChildProcess, message: unknown, key: string, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the load process did not answer ${key} within ${ms / 1000} s`)), ms);
    const listener = (m: Record<string, unknown>) => {
      if (!(key in m)) return;
      clearTimeout(timer);
      child.off("message", listener);
      resolve(m[key] as T);
    };
    child.on("message", listener);
    if (message !== null) child.send(message as object);
  });
}

/** Posts `rate` comments a second for `seconds`, round-robin over the nodes; returns each comment's 201 time. */
async function postSteadily(bases: string[], storyId: string, tokens: string[]): Promise<{ acks: [string, number][]; failed: number; lateMs: number }> {
  const rand = random(7);
  const acks: [string, number][] = [];
  let failed = 0;
  let lateMs = 0;
  const failures = new Map<string, number>();
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  const count = Math.round(rate * seconds);
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else lateMs = Math.max(lateMs, -wait);
    const base = bases[i % bases.length];
    inFlight.push(
      fetch(`${base}/api/v1/stories/${storyId}/comments`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${tokens[i % tokens.length]}`, "idempotency-key": `live-${i}` },
        body: JSON.stringify({ body: body(rand).body }),
        signal: AbortSignal.timeout(15_000),
      }).then(
        async (res) => {
          const at = performance.timeOrigin + performance.now();
          const json = (await res.json()) as { comment?: { id: string; status: string }; error?: { code: string } };
          if (res.status === 201 && json.comment?.status === "published") acks.push([json.comment.id, at]);
          else {
            failed += 1;
            const why = `${res.status} ${json.error?.code ?? json.comment?.status ?? ""}`;
            failures.set(why, (failures.get(why) ?? 0) + 1);
          }
        },
        (error: Error) => {
          failed += 1;
          failures.set(error.name, (failures.get(error.name) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  if (failures.size > 0) log(`  posts refused or failed: ${[...failures].map(([why, n]) => `${n} × ${why}`).join(", ")}`);
  return { acks, failed, lateMs: Math.round(lateMs) };
}

interface RowResult extends RowPlan, Summary {
  opened: Opened;
  posted: number;
  postFailed: number;
  postLateMs: number;
  memory: { rssMB: number; peakMB: number }[];
  /** Each node's and the load process's CPU use while posting (100 = one core). */
  cpuPercent: { nodes: number[]; readers: number };
  loadAverage: number;
}

async function runRow(row: RowPlan): Promise<RowResult> {
  log(`${row.name}: ${row.readers.toLocaleString("en-US")} readers on ${row.nodes} node(s), ${row.database}, fan-out ${row.transport}`);
  const db = scratchDatabase(row.database, PG_URL, "bench");
  const children: ChildProcess[] = [];
  try {
    const tokens = await prepare(db.url);
    const env = {
      DATABASE_URL: db.url,
      PARLEY_SECRET: randomBytes(24).toString("hex"),
      PARLEY_DEMO: "false",
      PARLEY_ALLOWED_ORIGINS: "https://news.example",
      PARLEY_MAX_STREAMS_PER_IP: "100000",
      PUBLIC_URL: "http://parley.bench",
      LOG_LEVEL: "warn",
      ...(row.transport === "redis" ? { REDIS_URL } : {}),
    };
    const nodes = [];
    for (let i = 0; i < row.nodes; i++) {
      const node = await startNode(env, await freePort());
      children.push(node.child);
      nodes.push(node);
    }
    const bases = nodes.map((n) => n.base);
    const story = (await (await fetch(`${bases[0]}/api/v1/stories/resolve?url=${encodeURIComponent("https://news.example/live-bench")}`)).json()) as { id: string };
    const loader = spawnWithFds(join(OUT_DIR, "bench", "live-load.js"), {}, true);
    children.push(loader);
    await ask(loader, null, "started", 30_000);
    const request: OpenRequest = { bases, path: `/api/v1/stories/${story.id}/events`, readers: row.readers, batch: 250, timeoutMs: 30_000 };
    const opened = await ask<Opened>(loader, { open: request }, "opened", 300_000);
    log(`  ${opened.readers.toLocaleString("en-US")} streams open in ${(opened.ms / 1000).toFixed(1)} s (${opened.failed} failed); ${nodes.map((n) => `${memoryOf(n.child.pid ?? 0).rssMB} MB`).join(", ")} resident`);
    await new Promise((r) => setTimeout(r, 1000));
    const loadBefore = loadavg()[0];
    const pids = [...nodes.map((n) => n.child.pid ?? 0), loader.pid ?? 0];
    const cpuBefore = pids.map(cpuOf);
    const postStart = performance.now();
    const posted = await postSteadily(bases, story.id, tokens);
    const busy = pids.map((pid, i) => Math.round(((cpuOf(pid) - cpuBefore[i]) / ((performance.now() - postStart) / 1000)) * 100));
    log(`  CPU while posting: ${busy.slice(0, -1).map((b) => `node ${b}%`).join(", ")}, readers ${busy.at(-1)}%`);
    const memory = nodes.map((n) => memoryOf(n.child.pid ?? 0));
    const summary = await ask<Summary>(loader, { finish: { acks: posted.acks, drainMs: 15_000 } }, "summary", 120_000);
    const result: RowResult = {
      ...row,
      ...summary,
      opened,
      posted: posted.acks.length,
      postFailed: posted.failed,
      postLateMs: posted.lateMs,
      memory,
      cpuPercent: { nodes: busy.slice(0, -1), readers: busy.at(-1) ?? 0 },
      loadAverage: Math.round(((loadBefore + loadavg()[0]) / 2) * 10) / 10,
    };
    log(`  p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms, lost ${result.lost}, ${memory.map((m) => `${m.rssMB} MB`).join(" + ")}`);
    return result;
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    await db.drop();
  }
}

const fmt = (n: number) => n.toLocaleString("en-US");

function table(rows: RowResult[]): string {
  const lines = [
    "| row | nodes | readers | fan-out | events | p50 | p99 | max | lost | RSS per node (peak) |",
    "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of rows) {
    const rss = r.memory.map((m) => `${m.rssMB} MB (${m.peakMB})`).join(", ");
    lines.push(`| ${r.name} | ${r.nodes} | ${fmt(r.readers)} | ${r.transport} (${r.database}) | ${r.events} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | ${r.lost} | ${rss} |`);
  }
  return lines.join("\n");
}

log(`compiling the app to ${OUT_DIR}`);
await compile();
const results: RowResult[] = [];
for (const name of rowNames) results.push(await runRow(plan(name)));
const ten = results.find((r) => r.nodes === 1 && r.readers === 10_000);
const targets = ten
  ? [
      { name: "10,000 readers, one node: p99", goal: "≤ 250 ms", reached: `${ten.p99} ms`, met: ten.p99 <= 250 },
      { name: "10,000 readers, one node: RSS", goal: "≤ 500 MB", reached: `${ten.memory[0].rssMB} MB`, met: ten.memory[0].rssMB <= 500 },
    ]
  : [];
const lost = results.reduce((n, r) => n + r.lost + r.duplicates, 0);
targets.push({ name: "events lost or twice", goal: "0", reached: String(lost), met: lost === 0 });
const report = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "?", node: process.version },
  settings: { rate, seconds, oneNodeDb },
  rows: results,
  targets,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\n${table(results)}\n\n`);
for (const t of targets) process.stdout.write(`${t.met ? "met " : "MISS"}  ${t.name}: ${t.reached} (goal ${t.goal})\n`);
process.stdout.write(`\nwritten to ${out}\n`);
