/**
 * `npm run bench:widget`: how soon a reader sees the first comment. A publisher's page on its
 * own origin carries the one-line snippet; Chromium loads it with a cold cache and we measure
 * from the script tag to the first comment painted (the loader's `parley:first-comment` mark,
 * set on the frame after the server-rendered thread enters the shadow root). Stories of 200
 * and 100,000 comments; the second must stay within 1.2x of the first. Prints a table and
 * writes bench/results/widget.json.
 *
 *   npm run bench:widget -- [--runs N] [--out FILE]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import { buildWeb } from "../scripts/build-web.mjs";
import { loadConfig } from "../src/config.js";
import { buildApp } from "../src/http/app.js";
import { ROOT } from "../src/paths.js";
import { openStore } from "../src/store/db.js";
import { analyze, seedPeople, seedStory } from "./lib/seed.js";

const option = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const RUNS = Number(option("runs") ?? 15);
const OUT = option("out") ?? join(ROOT, "bench", "results", "widget.json");
const SIZES = [200, 100_000];
const TARGET_MS = 150;
const RATIO = 1.2;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const listen = (server: ReturnType<typeof createServer>) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    }),
  );

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function main(): Promise<void> {
  const built = await buildWeb();
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-widget-"));
  // The publisher's site: another origin on loopback, serving one page per story.
  const host = createServer((req, res) => {
    const storyId = /^\/story\/([\w-]+)$/.exec(req.url ?? "")?.[1];
    if (!storyId) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench story</title></head><body>` +
        `<h1>A story</h1><p>The article text.</p>` +
        `<script>performance.mark("parley:tag")</script>` +
        `<div id="parley-thread" data-story-id="${storyId}"></div>` +
        `<script src="${parleyBase}/embed.js" async></script></body></html>`,
    );
  });
  const hostPort = await listen(host);
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  const parleyBase = `http://127.0.0.1:${port}`;

  const databaseUrl = `sqlite:${join(dir, "parley.db")}`;
  const store = await openStore(databaseUrl);
  const now = Date.now();
  process.stdout.write("seeding stories of 200 and 100,000 comments…\n");
  await seedPeople(store, now, 0);
  const stories = [];
  for (const size of SIZES) stories.push(await seedStory(store, { now, size, seed: size }));
  await analyze(store);
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: parleyBase,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    PARLEY_DEMO: "false",
    PARLEY_ALLOWED_ORIGINS: `http://127.0.0.1:${hostPort}`,
  });
  const app = await buildApp({ config, store });
  await app.listen({ port, host: "127.0.0.1" });

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const rows: { size: number; runs: number; medianMs: number; p90Ms: number; minMs: number; samples: number[] }[] = [];
  try {
    for (const story of stories) {
      const samples: number[] = [];
      // One unmeasured run warms the server's code paths and SQLite's page cache, not the browser's.
      for (let run = 0; run <= RUNS; run++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`http://127.0.0.1:${hostPort}/story/${story.id}`);
        await page.waitForFunction(() => performance.getEntriesByName("parley:first-comment").length > 0, undefined, { timeout: 10_000 });
        const ms = await page.evaluate(() => {
          const root = document.querySelector("parley-thread")?.shadowRoot;
          if (!root?.querySelector(".p-list > .p-item")) throw new Error("no comment painted");
          const [tag] = performance.getEntriesByName("parley:tag");
          const [painted] = performance.getEntriesByName("parley:first-comment");
          return painted.startTime - tag.startTime;
        });
        if (run > 0) samples.push(ms);
        await context.close();
      }
      rows.push({
        size: story.size,
        runs: samples.length,
        medianMs: Math.round(percentile(samples, 50) * 10) / 10,
        p90Ms: Math.round(percentile(samples, 90) * 10) / 10,
        minMs: Math.round(Math.min(...samples) * 10) / 10,
        samples: samples.map((s) => Math.round(s * 10) / 10),
      });
    }
  } finally {
    await browser.close();
    await app.close();
    await store.close();
    await new Promise((resolve) => host.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }

  // Timings on a shared machine mean little under load: the load average goes into the results.
  const load = loadavg().map((l) => Math.round(l * 100) / 100);
  const [small, large] = rows;
  const ratio = Math.round((large.medianMs / small.medianMs) * 100) / 100;
  const targets = [
    { name: "200 comments: script tag to first comment (median)", goal: `≤ ${TARGET_MS} ms`, reached: `${small.medianMs} ms`, met: small.medianMs <= TARGET_MS },
    { name: "100,000 comments vs 200 (median)", goal: `≤ ${RATIO}×`, reached: `${ratio}×`, met: ratio <= RATIO },
  ];
  const lines = [
    "| story | runs | median | p90 | min |",
    "| ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.size.toLocaleString("en")} comments | ${r.runs} | ${r.medianMs} ms | ${r.p90Ms} ms | ${r.minMs} ms |`),
    "",
    "| target | goal | reached | met |",
    "| --- | --- | --- | --- |",
    ...targets.map((t) => `| ${t.name} | ${t.goal} | ${t.reached} | ${t.met ? "yes" : "NO"} |`),
  ];
  process.stdout.write(
    `\nTime from the script tag to the first comment painted (Chromium, cold cache, localhost; ${cpus().length} CPUs, load ${load.join(" ")})\n\n${lines.join("\n")}\n`,
  );
  const bundles = Object.fromEntries(Object.entries(built.sizes).map(([name, s]) => [name, { bytes: s.bytes, gzip: s.gzip }]));
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(
    OUT,
    JSON.stringify({ date: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: load }, rows, targets, bundles }, null, 2) + "\n",
  );
  process.stdout.write(`\nwrote ${OUT}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:widget failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
