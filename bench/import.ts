/**
 * `npm run bench:import`: generates a Disqus export of 100,000 comments across 1,000
 * threads (a third of them replies, some before their parent in the file), then imports
 * it into a fresh SQLite database and a fresh PostgreSQL schema, each in its own child
 * process so peak RSS is that import's alone. Targets: ≤ 30 s and ≤ 300 MB RSS each.
 * Prints a table and writes bench/results/import.json.
 *
 *   npm run bench:import -- [--comments N] [--threads N] [--dialect sqlite|postgres|both]
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { systemClock, timeOrderedIds } from "../src/context.js";
import { runImport } from "../src/portability/importer.js";
import { TextSource } from "../src/portability/source.js";
import { openStore } from "../src/store/db.js";

const PG_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const TARGET_SECONDS = 30;
const TARGET_MB = 300;

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

/** A deterministic generator, so every run imports the same file. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function generate(path: string, comments: number, threads: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", r)));
  const rand = random(42);
  await write(`<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n`);
  for (let t = 0; t < threads; t++) {
    await write(
      `<thread dsq:id="t${t}"><id/><link>https://news.example/${2000 + (t % 20)}/story-${t}/</link><title>Story ${t} &amp; more</title>` +
        `<createdAt>2020-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`,
    );
  }
  const recent: number[][] = Array.from({ length: threads }, () => []);
  for (let c = 0; c < comments; c++) {
    const t = Math.floor(rand() * threads);
    const earlier = recent[t];
    const parent = earlier.length > 0 && rand() < 0.33 ? earlier[Math.floor(rand() * earlier.length)] : null;
    earlier.push(c);
    if (earlier.length > 50) earlier.shift();
    const author = Math.floor(rand() * 20_000);
    const time = new Date(Date.UTC(2020, 0, 1) + c * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
    await write(
      `<post dsq:id="p${c}"><id/><message><![CDATA[<p>Comment ${c}: the council's decision on <b>the budget</b> was ` +
        `${rand() < 0.5 ? "right" : "wrong"}, and here is why, at some length, as readers write.</p><p>See https://news.example/source-${c % 97}</p>]]></message>` +
        `<createdAt>${time}</createdAt><isDeleted>${rand() < 0.01}</isDeleted><isSpam>${rand() < 0.01}</isSpam>` +
        `<author><name>Reader ${author}</name><email>reader${author}@example.com</email><isAnonymous>false</isAnonymous><username>reader${author}</username></author>` +
        `<thread dsq:id="t${t}"/>${parent === null ? "" : `<parent dsq:id="p${parent}"/>`}</post>\n`,
    );
  }
  await write("</disqus>\n");
  await new Promise<void>((resolve) => out.end(resolve));
}

/** Runs in a child process: one import into a fresh database, then prints its numbers. */
async function child(dialect: string, file: string): Promise<void> {
  let url: string;
  let cleanup = async () => undefined as void;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "parley-bench-import-"));
    url = `sqlite:${join(dir, "parley.db")}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `bench_import_${randomBytes(4).toString("hex")}`;
    const target = new URL(PG_URL);
    target.searchParams.set("schema", schema);
    url = target.toString();
    cleanup = async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    };
  }
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" });
  const store = await openStore(url, { poolSize: 4 });
  try {
    await store.db
      .insertInto("sites")
      .values({ id: "default", name: "Default", origins: "[]", settings: "{}", created_at: Date.now() })
      .execute();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const summary = await runImport(
      { config, store, clock: systemClock, ids: timeOrderedIds(systemClock) },
      { format: "disqus", source: TextSource.fromFile(file), siteId: "default" },
    );
    const seconds = (performance.now() - started) / 1000;
    // CPU time too: on a machine shared with others, wall time says as much about them as about the import.
    const cpu = process.cpuUsage(cpuBefore);
    const counted = await store.db.selectFrom("comments").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    process.stdout.write(
      `${JSON.stringify({
        dialect,
        seconds: Number(seconds.toFixed(2)),
        cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        commentsStored: Number(counted.n),
        added: summary.added,
        skipped: summary.skipped,
        problems: summary.problems,
      })}\n`,
    );
  } finally {
    await store.close();
    await cleanup();
  }
}

async function main(): Promise<void> {
  const comments = Number(option("comments") ?? 100_000);
  const threads = Number(option("threads") ?? 1_000);
  const which = option("dialect") ?? "both";
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-export-"));
  const file = join(dir, "disqus.xml");
  try {
    const generatedAt = performance.now();
    await generate(file, comments, threads);
    const bytes = statSync(file).size;
    process.stderr.write(
      `generated ${comments.toLocaleString("en")} comments in ${threads.toLocaleString("en")} threads: ` +
        `${(bytes / 1024 / 1024).toFixed(1)} MB in ${((performance.now() - generatedAt) / 1000).toFixed(1)} s\n`,
    );
    const results = [];
    for (const dialect of which === "both" ? ["sqlite", "postgres"] : [which]) {
      const self = fileURLToPath(import.meta.url);
      const output = execFileSync(process.execPath, ["--import", "tsx", self, "--child", dialect, file], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        timeout: 10 * 60_000,
      });
      const result = JSON.parse(output.trim().split("\n").at(-1) ?? "{}");
      results.push({ ...result, meetsTime: result.seconds <= TARGET_SECONDS, meetsMemory: result.peakRssMb <= TARGET_MB });
    }
    console.log(`\nimport of a Disqus export: ${comments.toLocaleString("en")} comments, ${threads.toLocaleString("en")} threads, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    console.log("dialect    seconds  CPU seconds  peak RSS MB  comments stored  targets (≤30 s, ≤300 MB)");
    for (const r of results) {
      console.log(
        `${r.dialect.padEnd(10)} ${String(r.seconds).padStart(7)}  ${String(r.cpuSeconds).padStart(11)}  ${String(r.peakRssMb).padStart(11)}  ${String(r.commentsStored).padStart(15)}  ${r.meetsTime && r.meetsMemory ? "met" : "MISSED"}`,
      );
    }
    const out = join(dirname(fileURLToPath(import.meta.url)), "results", "import.json");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ benchmark: "import", date: new Date().toISOString(), comments, threads, fileBytes: bytes, targets: { seconds: TARGET_SECONDS, peakRssMb: TARGET_MB }, results }, null, 2)}\n`,
    );
    console.log(`\nwrote ${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (option("generate-only")) {
  // For profiling: write the export file and stop.
  await generate(option("generate-only") as string, Number(option("comments") ?? 100_000), Number(option("threads") ?? 1_000));
} else if (process.argv.includes("--child")) {
  const at = process.argv.indexOf("--child");
  await child(process.argv[at + 1], process.argv[at + 2]);
} else {
  await main();
}
