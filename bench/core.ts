/**
 * `npm run bench`: the core benchmark. Seeds stories of 1,000, 10,000 and 100,000
 * comments, starts the server as a child process, and loads it with autocannon
 * (10 connections): first pages by `newest` and `top`, a signed-in first page (which no
 * cache serves), a replies page, authenticated posting, and the ceiling, a route in the
 * same server process that answers the same first-page JSON from memory. Prints a table
 * and writes bench/results/core.json. See bench/README.md.
 *
 *   npm run bench -- [--dialect sqlite|postgres|both] [--quick] [--seconds N] [--out FILE] [--tsx]
 *                    [--rows post,post-realistic]   (only these kinds of row: for profiling one)
 *                    [--phases]   (posting rows on one connection, timing each moderation phase)
 *                    [--workers N[,M]]  (posting rows again with PARLEY_WORKERS=N; default: the cores; 0: none)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type Dialect, openStore } from "../src/store/db.js";
import { scratchDatabase } from "../test/scratch.js";
import { type LoadOptions, type LoadResult, type LoadRun, run, summarize } from "./lib/load.js";
import { type DialectResult, type Row, judge, table } from "./lib/report.js";
import {
  type Reader,
  type SeededStory,
  analyze,
  body,
  checkRenderer,
  markdownBody,
  random,
  seedPeople,
  seedStory,
} from "./lib/seed.js";
import { type ServerUnderTest, buildServer, startServer } from "./lib/server.js";

const PG_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const SIZES = [1_000, 10_000, 100_000];
const CONNECTIONS = 10;
/** Enough authors and addresses that the default rate limits (one comment per author per 5 s,
 * 30 per address per minute) never refuse a post at a few thousand comments/s. */
const POSTERS = 12_000;
/** The load shape of real readers (issue 22): few connections, a few dozen authors posting again and again. */
const REALISTIC = { connections: 4, authors: 30 };

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
const quick = process.argv.includes("--quick");
const dialectArg = option("dialect") ?? "both";
if (!["sqlite", "postgres", "both"].includes(dialectArg)) throw new Error("--dialect is sqlite, postgres or both");
const dialects: Dialect[] = dialectArg === "both" ? ["sqlite", "postgres"] : [dialectArg as Dialect];
const seconds = Number(option("seconds") ?? (quick ? 3 : 10));
/** A read row runs in SLICES slices, alternating with slices of the ceiling that add up to ceilingSeconds. */
const SLICES = quick ? 3 : 5;
const ceilingSeconds = quick ? 1.5 : 5;
const logLevel = option("log-level") ?? "warn";
const fromSource = process.argv.includes("--tsx");
/** Only these kinds of row (e.g. `post-realistic`), so that one row can be profiled on its own. */
const phasesMode = process.argv.includes("--phases");
/** Worker counts whose posting rows follow the single process's; none on a one-core machine or with --workers 0. */
const workerCounts = (phasesMode ? "0" : (option("workers") ?? String(availableParallelism())))
  .split(",")
  .map(Number)
  .filter((w) => Number.isInteger(w) && w > 1);
const onlyRows = phasesMode ? ["post", "post-realistic"] : option("rows")?.split(",");
/** Per posting row with --phases: microseconds per post in each phase and in the whole request. */
const phaseReport: Record<string, Record<string, number>> = {};
const out = option("out") ?? fileURLToPath(new URL("results/core.json", import.meta.url));


interface CacheStats {
  hits: number;
  misses: number;
  uncached: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function seed(url: string, now: number): Promise<{ readers: Reader[]; stories: SeededStory[] }> {
  const started = Date.now();
  const store = await openStore(url, { poolSize: 2 });
  try {
    const readers = await seedPeople(store, now, POSTERS);
    const stories: SeededStory[] = [];
    for (const size of SIZES) stories.push(await seedStory(store, { now, size, seed: size }));
    await analyze(store);
    log(`  seeded ${SIZES.map((s) => s.toLocaleString("en-US")).join(", ")} comments in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { readers, stories };
  } finally {
    await store.close();
  }
}

async function firstPageJson(server: ServerUnderTest, storyId: string): Promise<{ items: { id: string }[] }> {
  const res = await fetch(`${server.base}/api/v1/stories/${storyId}/comments?sort=newest&limit=20`);
  if (!res.ok) throw new Error(`first page of ${storyId}: ${res.status}`);
  return (await res.json()) as { items: { id: string }[] };
}

async function runDialect(dialect: Dialect, entry: string): Promise<DialectResult> {
  log(`${dialect}:`);
  const db = scratchDatabase(dialect, PG_URL, "bench");
  const now = Date.now();
  const { readers, stories } = await seed(db.url, now);
  const serverEnv = {
    DATABASE_URL: db.url,
    LOG_LEVEL: logLevel,
    PUBLIC_URL: "http://parley.bench",
    PARLEY_ALLOWED_ORIGINS: "https://news.example",
    // Posts carry X-Forwarded-For, as they do behind the reverse proxy of a real deployment.
    PARLEY_TRUST_PROXY: "true",
    ...(phasesMode ? { BENCH_PHASE_TIMES: "1" } : {}),
  };
  // One process for every row but the workers' ones (PARLEY_WORKERS defaults to the cores).
  const server = await startServer(entry, { ...serverEnv, PARLEY_WORKERS: "1" });
  /** The server the rows load: the single process, or for the workers' rows a server of several. */
  let active: ServerUnderTest = server;
  const rows: Row[] = [];
  const ceilingUrl = `${server.base}/__ceiling`;
  const cache = async (writesInvalidate?: boolean): Promise<CacheStats> => {
    const res = await fetch(`${active.base}/__bench/cache`, {
      method: writesInvalidate === undefined ? "GET" : "POST",
      ...(writesInvalidate === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify({ writesInvalidate }) }),
    });
    return (await res.json()) as CacheStats;
  };
  /**
   * Measures a row after a warm-up run. A read row runs in slices alternating with slices of
   * the ceiling, so that on a machine shared with others both see the same moments; the page
   * cache's counters are read around it.
   */
  const measure = async (
    row: Omit<Row, keyof LoadResult>,
    options: Omit<LoadOptions, "connections" | "seconds">,
    connections = CONNECTIONS,
  ) => {
    if (onlyRows && !onlyRows.includes(row.kind)) return;
    const reads = row.kind !== "ceiling" && !row.kind.startsWith("post");
    // Timing phases needs one request at a time: a phase's wall time is then its own.
    if (phasesMode) connections = 1;
    await run({ ...options, connections, seconds: 1 });
    if (phasesMode) await fetch(`${active.base}/__bench/phases`);
    const before = await cache();
    const cpuBefore = active.cpuSeconds();
    const slices: LoadRun[] = [];
    const ceilingSlices: LoadRun[] = [];
    for (let i = 0; i < (reads ? SLICES : 1); i++) {
      if (reads) ceilingSlices.push(await run({ url: ceilingUrl, connections: CONNECTIONS, seconds: ceilingSeconds / SLICES }));
      slices.push(await run({ ...options, connections, seconds: reads ? seconds / SLICES : seconds }));
    }
    const after = await cache();
    const cpu = active.cpuSeconds() - cpuBefore;
    const result = summarize(slices);
    const hits = after.hits - before.hits;
    const looked = hits + after.misses - before.misses + after.uncached - before.uncached;
    const measured: Row = {
      ...row,
      connections,
      ...result,
      ...(looked > 0 ? { cacheHits: hits / looked } : {}),
      // Only for rows without ceiling slices, whose CPU would be counted with them.
      ...(!reads && result.requests > 0 ? { cpuMsPerRequest: Math.round((cpu * 1e4) / result.requests) / 10 } : {}),
      rssMB: active.memory().rssMB,
      loadAverage: Math.round(loadavg()[0] * 10) / 10,
    };
    if (reads) {
      const reference = summarize(ceilingSlices).requestsPerSecond;
      Object.assign(measured, { ceilingRps: reference, ofCeiling: result.requestsPerSecond / reference });
    }
    rows.push(measured);
    if (phasesMode) {
      const times = (await (await fetch(`${active.base}/__bench/phases`)).json()) as Record<string, { calls: number; ms: number }>;
      const posts = times["whole request (server)"]?.calls || 1;
      phaseReport[row.name] = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round((v.ms * 1000) / posts)]));
      log(`  ${row.name}, µs per post: ${JSON.stringify(phaseReport[row.name])}`);
    }
    const share = measured.ofCeiling === undefined ? "" : ` (${Math.round(measured.ofCeiling * 100)}% of ${measured.ceilingRps})`;
    const cpuNote = measured.cpuMsPerRequest === undefined ? "" : `, ${measured.cpuMsPerRequest} CPU ms/req`;
    log(`  ${row.name}: ${result.requestsPerSecond} req/s${share}, p99 ${result.p99} ms${cpuNote}${result.failures ? `, ${result.failures} failed` : ""} (load ${measured.loadAverage})`);
  };
  try {
    const [small] = stories;
    const pageUrl = (story: SeededStory, sort: string) => `/api/v1/stories/${story.id}/comments?sort=${sort}&limit=20`;
    const captured = await fetch(`${server.base}/__bench/ceiling`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: pageUrl(small, "newest") }),
    });
    if (!captured.ok) throw new Error(`capturing the ceiling page: ${captured.status}`);
    const ceiling = { name: "ceiling: same first page from memory (start)", kind: "ceiling" as const };
    await measure(ceiling, { url: `${server.base}/__ceiling` });
    for (const story of stories) {
      for (const sort of ["newest", "top"] as const) {
        const name = `first page, ${story.size.toLocaleString("en-US")} comments, ${sort}`;
        await measure({ name, kind: "first-page", size: story.size, sort }, { url: server.base + pageUrl(story, sort) });
      }
    }
    const large = stories[stories.length - 1];
    // A browser asks for a compressed answer: the cache keeps it compressed, once per change.
    for (const story of [small, large]) {
      const name = `first page, ${story.size.toLocaleString("en-US")} comments, newest, accept-encoding br, gzip`;
      const row = { name, kind: "first-page-compressed" as const, size: story.size, sort: "newest" as const };
      await measure(row, { url: server.base + pageUrl(story, "newest"), headers: { "accept-encoding": "br, gzip" } });
    }
    await measure(
      { name: `replies page (${large.busiestParent.replies} replies), 20 oldest`, kind: "replies" },
      { url: `${server.base}/api/v1/comments/${large.busiestParent.id}/replies?limit=20` },
    );
    await measure({ ...ceiling, name: "ceiling: same first page from memory (end)" }, { url: `${server.base}/__ceiling` });

    // Posting changes the story it posts to: the 10,000-comment one, which no row reads later.
    const target = stories[1];
    const parents = (await firstPageJson(server, target.id)).items.map((c) => c.id);
    const rand = random(7);
    let n = 0;
    // The load shape of issue 22, measured side by side with peers: 4 connections, 30 authors
    // with their own tokens and addresses posting again and again, Markdown bodies with links,
    // replies to the first page as it is now.
    const authors = readers.slice(-REALISTIC.authors);
    const firstPage = (await firstPageJson(server, target.id)).items.map((c) => c.id);
    const realistic = random(22);
    let m = 0;
    /** Both posting rows against the active server; `workers` names the rows of a server with PARLEY_WORKERS. */
    const posting = async (workers: number) => {
      const suffix = workers > 1 ? `, PARLEY_WORKERS=${workers}` : "";
      await measure(
        { name: `post a comment (30% replies), ${readers.length} signed-in readers${suffix}`, kind: "post", size: target.size, workers },
        {
          url: `${active.base}/api/v1/stories/${target.id}/comments`,
          method: "POST",
          headers: { "content-type": "application/json" },
          perRequest: () => {
            n += 1;
            const reader = readers[n % readers.length];
            const parentId = rand() < 0.3 ? parents[Math.floor(rand() * parents.length)] : undefined;
            const text = `${body(rand).body} (${n})`;
            const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
            return {
              body: JSON.stringify(parentId ? { body: text, parentId } : { body: text }),
              headers: { authorization: `Bearer ${reader.token}`, "idempotency-key": `bench-${n}`, "x-forwarded-for": ip },
            };
          },
        },
      );
      await measure(
        {
          name: `post a comment, realistic: ${REALISTIC.authors} authors, Markdown with links, 30% replies${suffix}`,
          kind: "post-realistic",
          size: target.size,
          workers,
        },
        {
          url: `${active.base}/api/v1/stories/${target.id}/comments`,
          method: "POST",
          headers: { "content-type": "application/json" },
          perRequest: () => {
            m += 1;
            const author = authors[m % authors.length];
            const parentId = realistic() < 0.3 ? firstPage[Math.floor(realistic() * firstPage.length)] : undefined;
            const text = markdownBody(realistic, m);
            return {
              body: JSON.stringify(parentId ? { body: text, parentId } : { body: text }),
              headers: {
                authorization: `Bearer ${author.token}`,
                "idempotency-key": `realistic-${m}`,
                "x-forwarded-for": `10.200.0.${m % authors.length}`,
              },
            };
          },
        },
        REALISTIC.connections,
      );
    };
    await posting(1);
    // The issue's run ends here; its memory target is judged now.
    const memory = server.memory();
    const heap = (await (await fetch(`${server.base}/__bench/memory`)).json()) as Record<string, number>;
    const mb = (n: number) => Math.round(n / 1048576);
    log(`  after posting: RSS ${memory.rssMB} MB (peak ${memory.peakMB}), V8 heap ${mb(heap.heapUsed)}/${mb(heap.heapTotal)} MB, external ${mb(heap.external)} MB; resident ${JSON.stringify(server.residentByKind())}`);
    // The same rows against a server of PARLEY_WORKERS processes, on the same database, right
    // after the single process's (which idles meanwhile): both under the same load of the machine.
    let workersMemory: DialectResult["workersMemory"];
    for (const workers of workerCounts) {
      const cluster = await startServer(entry, { ...serverEnv, PARLEY_WORKERS: String(workers) });
      active = cluster;
      try {
        await posting(workers);
        workersMemory = { workers, processes: cluster.memoryEach() };
        log(`  after posting with ${workers} workers: ${cluster.memoryEach().map((p) => `${p.role} ${p.rssMB} MB (peak ${p.peakMB})`).join(", ")}`);
      } finally {
        active = server;
        await cluster.stop();
      }
    }

    // Beyond the issue: the database path that no cache serves, and PostgreSQL's other cache mode.
    const signedIn = { authorization: `Bearer ${readers[0].token}` };
    for (const story of [small, large]) {
      const name = `first page, signed in, ${story.size.toLocaleString("en-US")} comments, newest`;
      const row = { name, kind: "first-page-signed-in" as const, size: story.size, sort: "newest" as const };
      await measure(row, { url: server.base + pageUrl(story, "newest"), headers: signedIn });
    }
    if (dialect === "postgres") {
      // What the cache serves once every write path calls invalidateStory (see page-cache.ts).
      await cache(true);
      const name = `first page, ${large.size.toLocaleString("en-US")} comments, top, cache trusting write invalidation`;
      await measure({ name, kind: "first-page-trusted", size: large.size, sort: "top" }, { url: server.base + pageUrl(large, "top") });
      await cache(false);
    }
    const ceilings = rows.filter((r) => r.kind === "ceiling");
    const ceilingRps = ceilings.length ? Math.round(ceilings.reduce((sum, r) => sum + r.requestsPerSecond, 0) / ceilings.length) : 0;
    return { dialect, ceilingRps, rows, memory, memoryAtExit: server.memory(), workersMemory, targets: judge(dialect, rows, memory, workersMemory) };
  } finally {
    await server.stop();
    await db.drop();
  }
}

checkRenderer();
const started = Date.now();
const entry = fromSource ? fileURLToPath(new URL("server.ts", import.meta.url)) : await buildServer();
const results: DialectResult[] = [];
for (const dialect of dialects) results.push(await runDialect(dialect, entry));
const report = {
  generatedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version, loadavg: loadavg() },
  settings: {
    connections: CONNECTIONS,
    seconds,
    warmupSeconds: 1,
    slices: SLICES,
    ceilingSeconds,
    logLevel,
    sizes: SIZES,
    pageSize: 20,
    server: fromSource ? "TypeScript source through tsx" : "compiled JavaScript (.tmp/bench-build)",
  },
  dialects: results,
  ...(phasesMode ? { phaseMicrosecondsPerPost: phaseReport } : {}),
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${table(results)}\n\nwrote ${out} in ${Math.round((Date.now() - started) / 1000)} s\n`);
