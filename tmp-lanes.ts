import { readFileSync } from "node:fs";
import { LinearModel, type ModelHeader } from "./src/classifier/model.js";
import { buildCorpus, isValidation } from "./src/classifier/train/corpus.js";
import { SCORE_CATEGORIES } from "./src/classifier/types.js";
const d = process.argv[2];
const h = JSON.parse(readFileSync(`${d}/model.json`, "utf8")) as ModelHeader;
const m = new LinearModel(h, readFileSync(`${d}/weights.bin`));
const val = buildCorpus("/work/shared/data/moderation", { seed: 42, stormfront: true, wikiSpamWeight: 0 }).filter((e) => isValidation(e, 42) && e.source === "jigsaw");
const rows = val.map((e) => ({ y: e.labels.toxicity, s: m.score(e.text).scores }));
for (const lane of ["thresholds", "holdThresholds"] as const) {
  const th = h[lane]!;
  const fl = (s: Record<string, number>, skip?: string) => SCORE_CATEGORIES.some((c) => c !== skip && c !== "profanity" && s[c] >= th[c]);
  for (const y of [1, 0]) {
    const g = rows.filter((r) => r.y === y);
    const all = g.filter((r) => fl(r.s)).length;
    console.log(lane, y ? "toxic" : "clean", g.length, "flagged", (all / g.length).toFixed(4), SCORE_CATEGORIES.map((c) => `${c}:${((all - g.filter((r) => fl(r.s, c)).length) / g.length).toFixed(4)}`).join(" "));
  }
}
const th = h.thresholds;
for (const e of val) { if (e.labels.toxicity !== 0) continue; const r = m.score(e.text); const raw = m.calibratedLogits(e.text); if (r.scores.threat >= th.threat) console.log(r.scores.threat.toFixed(3), (1/(1+Math.exp(-raw[3]))).toFixed(3), JSON.stringify(e.text.slice(0, 160))); }
