/**
 * Evaluates the committed local scorer and writes bench/results/classifier.json.
 *   npm run eval:classifier -- [--data <dir>] [--seed 42]
 * The Jigsaw files (Wikipedia comments, identity templates) are evaluation-only.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_THRESHOLDS, MODEL_HEADER_URL, MODEL_WEIGHTS_URL, loadLocalScorer, scoreSync } from "../src/classifier/index.js";
import { LinearModel, type ModelHeader } from "../src/classifier/model.js";
import type { ScoreCategory } from "../src/classifier/types.js";
import { buildCorpus } from "../src/classifier/train/corpus.js";
import {
  defaultDataDir, foxTestThreads, inShare, loadDavidson, loadFox, loadStormfront, loadTemplates,
  loadToxicSpans, loadWikipedia, loadYoutube,
} from "../src/classifier/train/data.js";
import { atThreshold, rocAuc } from "../src/classifier/train/metrics.js";
import { DEFAULT_TRAIN_OPTIONS, featurize, quantise, train } from "../src/classifier/train/sgd.js";
import { sampleThread, sharedSampleThread } from "../test/shared.js";

const { values } = parseArgs({
  options: { data: { type: "string" }, seed: { type: "string", default: "42" }, quick: { type: "boolean", default: false } },
});
const dataDir = values.data ?? defaultDataDir();
if (!dataDir) throw new Error("no evaluation data: pass --data <dir>");
const seed = Number(values.seed);
const scorer = loadLocalScorer();

interface Row { set: string; task: string; n: number; positives: number; score: ScoreCategory | "max"; auc: number; threshold: number; precision: number; recall: number; fpr: number }
const rows: Row[] = [];
const maxScore = (s: Record<ScoreCategory, number>) =>
  Math.max(s.toxicity, s.insult, s.identityAttack, s.threat);

function evaluate(set: string, task: string, texts: string[], labels: number[], score: ScoreCategory | "max", scores?: number[]): Row {
  const s = scores ?? texts.map((t) => { const r = scoreSync(t).scores; return score === "max" ? maxScore(r) : r[score]; });
  const threshold = score === "max" ? DEFAULT_THRESHOLDS.toxicity : DEFAULT_THRESHOLDS[score];
  const at = atThreshold(s, labels, threshold);
  const row = { set, task, n: texts.length, positives: labels.filter((l) => l === 1).length, score, auc: rocAuc(s, labels), threshold, precision: at.precision, recall: at.recall, fpr: at.fpr };
  rows.push(row);
  return row;
}

// (a) Davidson, the seeded stratified 20% the model never saw.
const davidson = loadDavidson(dataDir, seed).filter((r) => r.test);
evaluate("davidson", "abusive vs neither", davidson.map((r) => r.text), davidson.map((r) => (r.cls === 2 ? 0 : 1)), "toxicity");
evaluate("davidson", "hate vs rest", davidson.map((r) => r.text), davidson.map((r) => (r.cls === 0 ? 1 : 0)), "identityAttack");

// (b) YouTube spam, leave one video out: the spam model is retrained without that video.
const youtube = loadYoutube(dataDir);
const videos = [...new Set(youtube.map((r) => r.video))];
const header = JSON.parse(readFileSync(MODEL_HEADER_URL, "utf8")) as ModelHeader;
for (const video of values.quick ? [] : videos) {
  const corpus = buildCorpus(dataDir, { seed, excludeVideos: [video] });
  const trained = train(featurize(corpus.map((e) => e.text)), corpus, { ...DEFAULT_TRAIN_OPTIONS, seed, only: [5] });
  const { bytes, scales } = quantise(trained);
  const fold = new LinearModel({ ...header, scales, biases: Array.from(trained.biases) }, bytes);
  const held = youtube.filter((r) => r.video === video);
  evaluate("youtube", `spam, held-out ${video}`, held.map((r) => r.text), held.map((r) => r.spam), "spam", held.map((r) => fold.score(r.text).scores.spam));
}

// (c) Wikipedia talk comments and (d) identity templates: evaluation only.
const wiki = loadWikipedia(dataDir);
evaluate("wikipedia", "toxic vs not", wiki.map((r) => r.text), wiki.map((r) => r.toxic), "toxicity");
evaluate("wikipedia", "toxic vs not (max of 4)", wiki.map((r) => r.text), wiki.map((r) => r.toxic), "max");
const templates = loadTemplates(dataDir);
const tRow = evaluate("templates", "toxic vs nontoxic", templates.map((r) => r.text), templates.map((r) => r.toxic), "toxicity");
const nontoxic = templates.filter((r) => r.toxic === 0);
const ntScores = nontoxic.map((r) => scoreSync(r.text).scores);
const templateFpr = {
  atThreshold: tRow.fpr,
  at05: ntScores.filter((s) => s.toxicity >= 0.5).length / nontoxic.length,
  anyCategoryAtThresholds: ntScores.filter((s) => (Object.keys(DEFAULT_THRESHOLDS) as ScoreCategory[]).some((c) => c !== "spam" && s[c] >= DEFAULT_THRESHOLDS[c])).length / nontoxic.length,
};

// (e) Fox News, the 3 held-out threads; (f) Stormfront, the held-out 20% of posts.
const fox = loadFox(dataDir);
const foxTest = foxTestThreads(fox, seed);
const foxHeld = fox.filter((r) => foxTest.has(r.thread));
evaluate("fox-news", "hateful vs not (3 held-out threads)", foxHeld.map((r) => r.text), foxHeld.map((r) => r.hateful), "toxicity");
evaluate("fox-news", "hateful vs not (3 held-out threads)", foxHeld.map((r) => r.text), foxHeld.map((r) => r.hateful), "identityAttack");
const sf = loadStormfront(dataDir).filter((r) => inShare(r.post, seed, 0.2));
evaluate("stormfront", "hate vs noHate (held-out posts)", sf.map((r) => r.text), sf.map((r) => r.hate), "identityAttack");
evaluate("stormfront", "hate vs noHate (held-out posts)", sf.map((r) => r.text), sf.map((r) => r.hate), "toxicity");

// (g) The sample thread: held comments should cross a threshold, published ones none.
const thread = sharedSampleThread() ?? sampleThread();
const sample = thread.comments.filter((c) => c.body.trim() && c.expect !== "rejected").map((c) => {
  const r = scoreSync(c.body);
  const flagged = (Object.keys(DEFAULT_THRESHOLDS) as ScoreCategory[]).filter((k) => r.scores[k] >= DEFAULT_THRESHOLDS[k]);
  return { n: c.n, expect: c.expect, flagged, ok: (flagged.length > 0) === (c.expect === "held"), why: c.why ?? "" };
});

// Throughput on one core over real comments (Wikipedia + toxic-spans), first pass and warm.
const bench = [...wiki.map((r) => r.text), ...loadToxicSpans(dataDir).map((r) => r.text), ...foxHeld.map((r) => r.text)];
const meanChars = bench.reduce((a, t) => a + t.length, 0) / bench.length;
let t0 = performance.now();
for (const t of bench) scorer.score(t);
const coldPerSecond = bench.length / ((performance.now() - t0) / 1000);
let count = 0;
t0 = performance.now();
// CPU time as well as wall time: on a shared machine the wall clock also counts the time
// other processes held the core.
const cpu0 = process.cpuUsage();
while (performance.now() - t0 < 5000) for (const t of bench) { scoreSync(t); count++; }
const warmPerSecond = count / ((performance.now() - t0) / 1000);
const cpu = process.cpuUsage(cpu0);
const warmPerCpuSecond = count / ((cpu.user + cpu.system) / 1e6);

// Load time and memory in a fresh process, so this script's datasets do not count.
const probe = `const m0 = process.memoryUsage().rss; const t = performance.now();
const c = await import(${JSON.stringify(new URL("../src/classifier/index.ts", import.meta.url).href)});
const s = c.loadLocalScorer(); s.score("warm up"); const ms = performance.now() - t;
for (let i = 0; i < 20000; i++) s.score("comment number " + i + " about the bus lanes on Main Street");
const m = process.memoryUsage(); console.log(JSON.stringify({ loadMs: ms, rssBefore: m0, rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers }));`;
const proc = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { encoding: "utf8" }).trim().split("\n").pop()!) as Record<string, number>;

const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const result = {
  scorer: { name: scorer.name, version: scorer.version },
  thresholds: DEFAULT_THRESHOLDS,
  tasks: rows,
  templateNontoxicFpr: templateFpr,
  sampleThread: { correct: sample.filter((s) => s.ok).length, total: sample.length, comments: sample },
  performance: {
    commentsPerSecondCold: Math.round(coldPerSecond),
    commentsPerSecondWarm: Math.round(warmPerSecond),
    commentsPerCpuSecondWarm: Math.round(warmPerCpuSecond),
    benchComments: bench.length,
    meanChars: Math.round(meanChars),
    loadMs: Math.round(proc.loadMs * 10) / 10,
    modelBytes: statSync(MODEL_WEIGHTS_URL).size + statSync(MODEL_HEADER_URL).size,
    rssMB: mb(proc.rss),
    rssBeforeLoadMB: mb(proc.rssBefore),
    heapUsedMB: mb(proc.heapUsed),
  },
};
mkdirSync(new URL("../bench/results/", import.meta.url), { recursive: true });
writeFileSync(new URL("../bench/results/classifier.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);

const f = (x: number) => (Number.isNaN(x) ? "  -  " : x.toFixed(3));
console.log(`\n${scorer.name} ${scorer.version}\n`);
console.log("| set | task | score | n | pos | ROC-AUC | thr | precision | recall | FPR |\n|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.set} | ${r.task} | ${r.score} | ${r.n} | ${r.positives} | ${f(r.auc)} | ${r.threshold} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.fpr)} |`);
console.log(`\nidentity templates, nontoxic FPR: ${f(templateFpr.atThreshold)} at toxicity threshold, ${f(templateFpr.at05)} at 0.5, ${f(templateFpr.anyCategoryAtThresholds)} any category`);
console.log(`sample thread: ${result.sampleThread.correct}/${sample.length} as expected; misses: ${sample.filter((s) => !s.ok).map((s) => `#${s.n} ${s.expect} [${s.flagged.join(",")}]`).join("; ") || "none"}`);
console.log(`throughput: ${result.performance.commentsPerSecondCold}/s first pass, ${result.performance.commentsPerSecondWarm}/s warm (${result.performance.commentsPerCpuSecondWarm} per CPU-second) (mean ${result.performance.meanChars} chars); load ${result.performance.loadMs} ms; model ${result.performance.modelBytes} B; rss ${result.performance.rssMB} MB (process before load ${result.performance.rssBeforeLoadMB} MB)`);
