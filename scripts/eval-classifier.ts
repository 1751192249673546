/**
 * Evaluates the committed local scorer and writes bench/results/classifier.json.
 *   npm run eval:classifier -- [--data <dir>] [--seed 42]
 * The Jigsaw files (Wikipedia comments, identity templates) are evaluation-only.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_HOLD_THRESHOLDS, DEFAULT_THRESHOLDS, MODEL_HEADER_URL, MODEL_WEIGHTS_URL, loadLocalScorer, scoreSync } from "../src/classifier/index.js";
import { LinearModel, type ModelHeader } from "../src/classifier/model.js";
import type { ScoreCategory } from "../src/classifier/types.js";
import { buildCorpus } from "../src/classifier/train/corpus.js";
import {
  defaultDataDir, foxTestThreads, inShare, loadDavidson, loadFox, loadStormfront, loadTemplates,
  loadToxicSpans, loadWikipedia, loadYoutube,
} from "../src/classifier/train/data.js";
import { atThreshold, rocAuc } from "../src/classifier/train/metrics.js";
import { type Interval, aucDelta, aucWithInterval, loadHateCheck, shareWithInterval } from "../src/classifier/train/evaluate.js";
import { loadConvAbuse, loadHateXplain } from "../src/classifier/train/more.js";
import { throughPipeline } from "./eval-pipeline.js";
import { DEFAULT_TRAIN_OPTIONS, featurize, quantise, train } from "../src/classifier/train/sgd.js";
import { sampleThread, sharedSampleThread } from "../test/shared.js";

const { values } = parseArgs({
  options: { data: { type: "string" }, seed: { type: "string", default: "42" }, quick: { type: "boolean", default: false } },
});
const dataDir = values.data ?? defaultDataDir();
if (!dataDir) throw new Error("no evaluation data: pass --data <dir>");
const seed = Number(values.seed);
const scorer = loadLocalScorer();

interface Row { set: string; task: string; n: number; positives: number; score: ScoreCategory | "max"; auc: number; ci: Interval; threshold: number; precision: number; recall: number; fpr: number }
const rows: Row[] = [];
const maxScore = (s: Record<ScoreCategory, number>) =>
  Math.max(s.toxicity, s.insult, s.identityAttack, s.threat);

function evaluate(set: string, task: string, texts: string[], labels: number[], score: ScoreCategory | "max", scores?: number[]): Row {
  const s = scores ?? texts.map((t) => { const r = scoreSync(t).scores; return score === "max" ? maxScore(r) : r[score]; });
  const threshold = score === "max" ? DEFAULT_THRESHOLDS.toxicity : DEFAULT_THRESHOLDS[score];
  const at = atThreshold(s, labels, threshold);
  const { auc, ci } = aucWithInterval(s, labels, texts.length > 20_000 ? 100 : 1000);
  const row = { set, task, n: texts.length, positives: labels.filter((l) => l === 1).length, score, auc, ci, threshold, precision: at.precision, recall: at.recall, fpr: at.fpr };
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

// (h) HateXplain's test ids and ConvAbuse's test split (both trained on their other splits).
const hx = loadHateXplain(dataDir).filter((r) => r.split === "test" && r.category !== 3);
evaluate("hatexplain", "hate or offensive vs normal (test ids)", hx.map((r) => r.text), hx.map((r) => (r.category === 0 ? 0 : 1)), "toxicity");
evaluate("hatexplain", "hate vs rest (test ids)", hx.map((r) => r.text), hx.map((r) => (r.category === 1 ? 1 : 0)), "identityAttack");
const ca = loadConvAbuse(dataDir).filter((r) => r.split === "test");
evaluate("convabuse", "abusive vs not (test split)", ca.map((r) => r.text), ca.map((r) => r.abusive), "toxicity");

// (i) Context: the same held-out comments scored alone and with what they answer (Fox News:
// the previous comment, else the article's title; ConvAbuse: the turns before).
const toxicityOf = (text: string, parentText?: string, storyTitle?: string) =>
  scoreSync(text, parentText || storyTitle ? { parentText, storyTitle } : undefined).scores.toxicity;
const context = {
  foxNews: aucDelta(foxHeld.map((r) => toxicityOf(r.text, r.prev, r.thread)), foxHeld.map((r) => toxicityOf(r.text)), foxHeld.map((r) => r.hateful)),
  convAbuse: aucDelta(ca.map((r) => toxicityOf(r.text, r.context.join("\n"))), ca.map((r) => toxicityOf(r.text)), ca.map((r) => r.abusive)),
};

// (j) HateCheck, per functional test: hateful when any of toxicity, insult, identity attack
// or threat reaches its nudge threshold.
const hateCheck = loadHateCheck(dataDir);
const hcFlag = (t: string) => {
  const r = scoreSync(t).scores;
  return (["toxicity", "insult", "identityAttack", "threat"] as ScoreCategory[]).some((c) => r[c] >= DEFAULT_THRESHOLDS[c]) ? 1 : 0;
};
const hcPred = hateCheck.map((c) => hcFlag(c.text));
const byFunctionality: Record<string, { n: number; accuracy: number; gold: string }> = {};
for (const f of [...new Set(hateCheck.map((c) => c.functionality))]) {
  const ks = hateCheck.flatMap((c, k) => (c.functionality === f ? [k] : []));
  byFunctionality[f] = { n: ks.length, accuracy: ks.filter((k) => hcPred[k] === hateCheck[k].hateful).length / ks.length, gold: hateCheck[ks[0]].hateful ? "hateful" : "non-hateful" };
}
const hateCheckResult = { accuracy: hcPred.filter((p, k) => p === hateCheck[k].hateful).length / hateCheck.length, n: hateCheck.length, byFunctionality };

// (k) The Wikipedia test file through the whole submit pipeline at default settings.
const piped = await throughPipeline(wiki.map((r) => r.text));
const withheld = piped.outcomes.map((o) => o.lane !== "published");
const lanesOf = (toxic: number) => {
  const os = piped.outcomes.filter((_, k) => wiki[k].toxic === toxic);
  return Object.fromEntries(["published", "nudged", "held", "refused"].map((l) => [l, os.filter((o) => o.lane === l).length]));
};
// The same with the suspect list cut to slurs: what a site that tolerates swearing gets.
const SLURS = ["abo", "abeed", "africoon", "arabush", "boonga", "chingchong", "chink", "dyke", "fag", "faggot", "kike", "nigger", "nigga", "retard", "spastic", "tranny"];
const slursOnly = (await throughPipeline(wiki.map((r) => r.text), { suspectWords: SLURS })).outcomes.map((o) => o.lane !== "published");
const cleanScores = wiki.filter((r) => r.toxic === 0).map((r) => scoreSync(r.text).scores);
const pipeline = {
  toxicWithheld: shareWithInterval(withheld.filter((_, k) => wiki[k].toxic === 1)),
  nonToxicWithheld: shareWithInterval(withheld.filter((_, k) => wiki[k].toxic === 0)),
  lanes: { toxic: lanesOf(1), nonToxic: lanesOf(0) },
  nonToxicWithheldBy: Object.fromEntries(
    Object.entries(
      piped.outcomes
        .filter((o, k) => wiki[k].toxic === 0 && o.lane !== "published")
        .reduce<Record<string, number>>((acc, o) => ((acc[o.code ?? o.lane] = (acc[o.code ?? o.lane] ?? 0) + 1), acc), {}),
    ).sort((a, b) => b[1] - a[1]),
  ),
  spamFalsePositives: shareWithInterval(cleanScores.map((s) => s.spam >= DEFAULT_THRESHOLDS.spam)),
  msPerComment: Math.round(piped.msPerComment * 10) / 10,
  slursOnlyList: {
    toxicWithheld: shareWithInterval(slursOnly.filter((_, k) => wiki[k].toxic === 1)),
    nonToxicWithheld: shareWithInterval(slursOnly.filter((_, k) => wiki[k].toxic === 0)),
  },
};

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
  holdThresholds: DEFAULT_HOLD_THRESHOLDS,
  tasks: rows,
  context,
  hateCheck: hateCheckResult,
  pipeline,
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
const ci = (c: Interval) => `${f(c[0])}–${f(c[1])}`;
const pct = (x: { share: number; ci: Interval; n: number }) => `${(x.share * 100).toFixed(1)}% (${(x.ci[0] * 100).toFixed(1)}–${(x.ci[1] * 100).toFixed(1)}, n ${x.n})`;
console.log("| set | task | score | n | pos | ROC-AUC | 95% CI | thr | precision | recall | FPR |\n|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.set} | ${r.task} | ${r.score} | ${r.n} | ${r.positives} | ${f(r.auc)} | ${ci(r.ci)} | ${r.threshold} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.fpr)} |`);
for (const [name, c] of Object.entries(context)) console.log(`context, ${name}: AUC ${f(c.with)} with, ${f(c.without)} without, delta ${f(c.delta)} (${ci(c.ci)})`);
console.log(`pipeline at defaults, Wikipedia test: toxic withheld ${pct(pipeline.toxicWithheld)}; non-toxic withheld ${pct(pipeline.nonToxicWithheld)}; lanes ${JSON.stringify(pipeline.lanes)}; spam false positives ${pct(pipeline.spamFalsePositives)}; ${pipeline.msPerComment} ms per comment`);
console.log(`the same with suspectWords cut to slurs: toxic withheld ${pct(pipeline.slursOnlyList.toxicWithheld)}; non-toxic withheld ${pct(pipeline.slursOnlyList.nonToxicWithheld)}`);
console.log(`HateCheck accuracy ${f(hateCheckResult.accuracy)} (n ${hateCheckResult.n}):`);
for (const [name, x] of Object.entries(byFunctionality).sort((a, b) => a[1].accuracy - b[1].accuracy)) console.log(`  ${name} (${x.gold}, n ${x.n}): ${f(x.accuracy)}`);
console.log(`\nidentity templates, nontoxic FPR: ${f(templateFpr.atThreshold)} at toxicity threshold, ${f(templateFpr.at05)} at 0.5, ${f(templateFpr.anyCategoryAtThresholds)} any category`);
console.log(`sample thread: ${result.sampleThread.correct}/${sample.length} as expected; misses: ${sample.filter((s) => !s.ok).map((s) => `#${s.n} ${s.expect} [${s.flagged.join(",")}]`).join("; ") || "none"}`);
console.log(`throughput: ${result.performance.commentsPerSecondCold}/s first pass, ${result.performance.commentsPerSecondWarm}/s warm (${result.performance.commentsPerCpuSecondWarm} per CPU-second) (mean ${result.performance.meanChars} chars); load ${result.performance.loadMs} ms; model ${result.performance.modelBytes} B; rss ${result.performance.rssMB} MB (process before load ${result.performance.rssBeforeLoadMB} MB)`);
