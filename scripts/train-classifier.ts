/**
 * Trains Parley's local scorer and writes src/classifier/model/{weights.bin,model.json}.
 *   npm run train:classifier -- --data <dir> [--seed 42] [--out src/classifier/model]
 * Deterministic for a seed: same data and seed give byte-identical files.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { LinearModel, type ModelHeader } from "../src/classifier/model.js";
import { HASH_BITS } from "../src/classifier/features.js";
import { SCORE_CATEGORIES, type ScoreCategory } from "../src/classifier/types.js";
import { buildCorpus, isValidation } from "../src/classifier/train/corpus.js";
import { defaultDataDir } from "../src/classifier/train/data.js";
import { atThreshold, rocAuc, thresholdForFpr } from "../src/classifier/train/metrics.js";
import { DEFAULT_TRAIN_OPTIONS, featurize, quantise, train } from "../src/classifier/train/sgd.js";

/** Highest validation false-positive rate each category may have at its threshold. */
const MAX_VALIDATION_FPR: Record<ScoreCategory, number> = {
  toxicity: 0.05, insult: 0.02, identityAttack: 0.02, threat: 0.01, profanity: 0.01, spam: 0.02,
};

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    seed: { type: "string", default: "42" },
    out: { type: "string", default: "src/classifier/model" },
    "without-stormfront": { type: "boolean", default: false },
  },
});
const dataDir = values.data ?? defaultDataDir();
if (!dataDir) throw new Error("no training data: pass --data <dir> (e.g. ../shared/data/moderation)");
const seed = Number(values.seed);
const t0 = performance.now();

const stormfront = !values["without-stormfront"];
const corpus = buildCorpus(dataDir, { seed, stormfront });
const trainSet = corpus.filter((e) => !isValidation(e, seed));
const validation = corpus.filter((e) => isValidation(e, seed));
console.log(`corpus ${corpus.length} examples: train ${trainSet.length}, validation ${validation.length}`);

const features = featurize(trainSet.map((e) => e.text));
console.log(`features: ${features.idx.length} entries (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
const options = { ...DEFAULT_TRAIN_OPTIONS, seed };
const trained = train(features, trainSet, options);
const { bytes, scales } = quantise(trained);
console.log(`trained (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

const version = `1.0.0+${createHash("sha256").update(bytes).digest("hex").slice(0, 8)}`;
const header: ModelHeader = {
  name: "parley-local-linear",
  version,
  hashBits: HASH_BITS,
  categories: [...SCORE_CATEGORIES],
  scales,
  biases: Array.from(trained.biases),
  thresholds: Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, 0.5])) as Record<ScoreCategory, number>,
  training: {},
};

// Thresholds from the validation split only: the lowest score, never under 0.5, with a low
// false-positive rate on validation negatives and on the project's neutral identity sentences.
const model = new LinearModel(header, bytes);
const scored = validation.map((e) => model.score(e.text).scores);
const report: Record<string, unknown> = {};
for (const c of SCORE_CATEGORIES) {
  const rows = validation.map((e, k) => ({ l: e.labels[c], s: scored[k][c], project: e.source === "project" })).filter((r) => r.l === 0 || r.l === 1);
  const s = rows.map((r) => r.s), l = rows.map((r) => r.l as number);
  const neutral = rows.filter((r) => r.project && r.l === 0);
  let t = Math.max(0.5, thresholdForFpr(s, l, MAX_VALIDATION_FPR[c]));
  if (neutral.length) t = Math.max(t, thresholdForFpr(neutral.map((r) => r.s), neutral.map(() => 0), 0.02));
  header.thresholds[c] = t;
  const at = atThreshold(s, l, t);
  report[c] = { n: rows.length, positives: l.filter((x) => x === 1).length, auc: rocAuc(s, l), threshold: t, precision: at.precision, recall: at.recall, fpr: at.fpr };
}
const sources: Record<string, number> = {};
for (const e of trainSet) sources[e.source] = (sources[e.source] ?? 0) + 1;
header.training = { ...options, stormfront, examples: sources, validationExamples: validation.length, validation: report };

mkdirSync(values.out!, { recursive: true });
writeFileSync(join(values.out!, "weights.bin"), bytes);
writeFileSync(join(values.out!, "model.json"), `${JSON.stringify(header, null, 2)}\n`);
console.table(report);
console.log(`wrote ${values.out}/weights.bin (${bytes.length} B), model.json, version ${version} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
