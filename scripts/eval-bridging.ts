/**
 * Evaluates bridging-based ranking on a simulated site and writes bench/results/bridging.json.
 *   npm run eval:bridging -- [--seed 42] [--quick] [--no-timing]
 * Compares the model with like counts, the mean helpful rate, the Wilson lower bound and Polis's
 * group-informed consensus, then times one refit of 1,000,000 ratings.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { groupInformedConsensus, likeScores, meanHelpful, wilsonLowerBound } from "./bridging/baselines.js";
import { spearman, topBy } from "./bridging/metrics.js";
import { fitMatrix } from "../src/bridging/model.js";
import { readerWeights } from "../src/bridging/puppets.js";
import { scoreSite } from "../src/bridging/scoring.js";
import { evaluateNotes, type NoteRow } from "./bridging/notes.js";
import { simulate, type BrigadeOptions, type SimulatedSite, type SimulationOptions } from "./bridging/simulate.js";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "42" },
    quick: { type: "boolean", default: false },
    "no-timing": { type: "boolean", default: false },
  },
});
const seed = Number(values.seed);
const quick = values.quick;
const base: Partial<SimulationOptions> = quick
  ? { seed, readers: 2000, comments: 6000, stories: 60, exposures: 300_000 }
  : { seed };

interface Ranking {
  method: string;
  score: Float64Array;
  /** Comments the method would badge; for baselines, the top K site-wide with K the model's badge count. */
  badged?: Set<number>;
}
interface Row {
  method: string;
  spearman: number;
  precisionAt10: number;
  slantAt10: number;
  /** Mean over stories of |mean slant of the top 10|: how one-sided a story's top 10 is. */
  oneSidedness: number;
  excessSlant: number;
  badges: number;
  badgeFalsePositiveRate: number;
  brigadeSuccess: number;
}

function rankings(site: SimulatedSite): Ranking[] {
  const m = site.ratings;
  const scores = scoreSite({ ratings: m });
  const n = m.commentIds.length;
  const lowerBound = new Float64Array(n).fill(Number.NaN);
  const intercept = new Float64Array(n).fill(Number.NaN);
  const badged = new Set<number>();
  m.commentIds.forEach((id, c) => {
    const s = scores.comments.get(id);
    if (!s) return;
    lowerBound[c] = s.lowerBound;
    intercept[c] = s.intercept;
    if (s.badge) badged.add(c);
  });
  const unweighted = fitMatrix(m, {});
  const noRings = Float64Array.from(unweighted.commentLowerBound, (v, c) =>
    unweighted.commentScored[c] ? v : Number.NaN,
  );
  return [
    { method: "bridging model (lower bound)", score: lowerBound, badged },
    { method: "  model: intercept instead", score: intercept },
    { method: "  model: no ring weights", score: noRings },
    { method: "likes", score: likeScores(site.likes) },
    { method: "mean helpful", score: meanHelpful(m) },
    { method: "Wilson lower bound", score: wilsonLowerBound(m) },
    { method: "Polis group consensus", score: groupInformedConsensus(m).scores },
    { method: "(true quality)", score: site.quality },
  ];
}

function evaluate(site: SimulatedSite): Row[] {
  const all = rankings(site);
  const n = site.quality.length;
  const scored = [...Array(n).keys()].filter((c) => !Number.isNaN(all[0].score[c]));
  const byStory: number[][] = Array.from({ length: site.options.stories }, () => []);
  for (let c = 0; c < n; c++) byStory[site.story[c]].push(c);
  const low = [...Array(n).keys()].filter((c) => site.quality[c] < 0.3);
  const badgeCount = all[0].badged?.size ?? 0;
  const rows = all.map((r) => {
    let precision = 0;
    let slant = 0;
    let oneSided = 0;
    let targetsOnTop = 0;
    for (const comments of byStory) {
      const good = new Set(topBy(comments, site.quality, Math.round(comments.length / 5)));
      const top = topBy(comments, r.score, 10);
      precision += top.filter((c) => good.has(c)).length / top.length;
      const storySlant = top.reduce((s, c) => s + site.slant[c], 0) / top.length;
      slant += storySlant;
      oneSided += Math.abs(storySlant);
      targetsOnTop += top.filter((c) => site.brigadeTarget[c]).length;
    }
    const badged = r.badged ?? new Set(topBy([...Array(n).keys()], r.score, badgeCount));
    const targets = site.brigadeTarget.reduce((s, t) => s + t, 0);
    return {
      method: r.method,
      spearman: spearman(r.score, site.quality, scored),
      precisionAt10: precision / byStory.length,
      slantAt10: slant / byStory.length,
      oneSidedness: oneSided / byStory.length,
      excessSlant: 0,
      badges: badged.size,
      badgeFalsePositiveRate: low.filter((c) => badged.has(c)).length / low.length,
      brigadeSuccess: targets > 0 ? targetsOnTop / targets : 0,
    };
  });
  const oracle = rows[rows.length - 1].slantAt10;
  for (const row of rows) row.excessSlant = row.slantAt10 - oracle;
  return rows;
}

const fmt = (x: number, d = 3) => x.toFixed(d);
function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log(
    "| method | Spearman ρ | precision@10 | top-10 slant | per-story \|slant\| | vs quality-only | badges | badge FP (q<0.3) | brigade success |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.method} | ${fmt(r.spearman)} | ${fmt(r.precisionAt10)} | ${fmt(r.slantAt10)} | ${fmt(r.oneSidedness)} | ${fmt(r.excessSlant)} | ${r.badges} | ${fmt(r.badgeFalsePositiveRate, 4)} | ${fmt(r.brigadeSuccess)} |`,
    );
  }
}

const started = Date.now();
const mainSite = simulate(base);
const mainRows = evaluate(mainSite);
const defaultBrigade = mainSite.options.brigade as BrigadeOptions;
printTable(
  `Simulated site (seed ${seed}): ${mainSite.options.readers} readers + ${defaultBrigade.accounts} brigade accounts, ${mainSite.options.comments} comments on ${mainSite.options.stories} stories, ${mainSite.ratings.reader.length} ratings`,
  mainRows,
);

const styles: Record<string, Pick<BrigadeOptions, "coordination" | "camouflage">> = {
  scripted: { coordination: 1, camouflage: 3 },
  loose: { coordination: 0.8, camouflage: 15 },
};
const brigadeRows: Array<{ style: string; accounts: number; side: number; rows: Row[]; rings: number }> = [];
for (const [style, behaviour] of Object.entries(styles)) {
  for (const accounts of quick ? [200] : [50, 200, 500]) {
    for (const side of [-1, 1] as const) {
      const site = simulate({ ...base, brigade: { ...defaultBrigade, ...behaviour, accounts, side } });
      const w = readerWeights(site.ratings);
      brigadeRows.push({ style, accounts, side, rows: evaluate(site), rings: w.readersInRings });
    }
  }
}
const methods = mainRows.map((r) => r.method);
console.log("\nBrigade success: share of the brigade's targets that reach their story's top 10");
console.log(`| brigade | readers in rings | ${methods.join(" | ")} |`);
console.log(`| --- | --- | ${methods.map(() => "---").join(" | ")} |`);
for (const b of brigadeRows) {
  const side = b.side < 0 ? "minority" : "majority";
  console.log(
    `| ${b.style}, ${b.accounts}, ${side} | ${b.rings} | ${b.rows.map((r) => fmt(r.brigadeSuccess)).join(" | ")} |`,
  );
}

// Reader context notes: the same readers, no comment brigade; brigades promote partisan notes.
const notesSite = simulate({ ...base, brigade: null });
const notesMain = evaluateNotes(notesSite, { seed });
const noteBrigades: Array<{ style: string; accounts: number; side: number; rows: NoteRow[] }> = [];
for (const [style, behaviour] of Object.entries(styles)) {
  for (const accounts of quick ? [200] : [50, 200, 500]) {
    for (const side of [-1, 1] as const) {
      const rows = evaluateNotes(notesSite, { seed, brigade: { accounts, side, targets: 10, ...behaviour } });
      noteBrigades.push({ style, accounts, side, rows });
    }
  }
}
console.log(
  `\nReader context notes (seed ${seed}): ${notesMain[0].shown} of 300 notes shown by the model; baselines show their top ${notesMain[0].shown}`,
);
console.log("| method | accurate notes shown | partisan notes shown | worst brigade success |");
console.log("| --- | --- | --- | --- |");
const worstBrigade = (i: number) => Math.max(...noteBrigades.map((b) => b.rows[i].brigadeSuccess));
notesMain.forEach((r, i) =>
  console.log(`| ${r.method} | ${fmt(r.accurateShown)} | ${fmt(r.partisanShown)} | ${fmt(worstBrigade(i))} |`),
);
console.log("\nNotes brigade success: share of the brigade's 10 partisan notes shown that the method did not show without it");
console.log(`| brigade | ${notesMain.map((r) => r.method).join(" | ")} |`);
console.log(`| --- | ${notesMain.map(() => "---").join(" | ")} |`);
for (const b of noteBrigades) {
  const side = b.side < 0 ? "minority" : "majority";
  console.log(`| ${b.style}, ${b.accounts}, ${side} | ${b.rows.map((r) => fmt(r.brigadeSuccess)).join(" | ")} |`);
}
const evaluationSeconds = (Date.now() - started) / 1000;

let timing: Record<string, number> | null = null;
if (!values["no-timing"]) {
  const big = simulate({
    seed,
    readers: 25_000,
    comments: 60_000,
    stories: 600,
    exposures: 3_400_000,
    brigade: { ...defaultBrigade, accounts: 500 },
  });
  const target = 1_000_000;
  const total = Math.min(target, big.ratings.reader.length);
  const m = {
    ...big.ratings,
    reader: big.ratings.reader.subarray(0, total),
    comment: big.ratings.comment.subarray(0, total),
    value: big.ratings.value.subarray(0, total),
  };
  // Keep the brigade: take the last ratings when the simulation overshoots.
  if (big.ratings.reader.length > total) {
    const skip = big.ratings.reader.length - total;
    m.reader = big.ratings.reader.subarray(skip);
    m.comment = big.ratings.comment.subarray(skip);
    m.value = big.ratings.value.subarray(skip);
  }
  let t = process.hrtime.bigint();
  const plain = fitMatrix(m, {});
  const fitSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  t = process.hrtime.bigint();
  const site = scoreSite({ ratings: m });
  const refitSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  timing = {
    ratings: m.reader.length,
    readers: m.readerIds.length,
    comments: m.commentIds.length,
    fitSeconds,
    fitIterations: plain.iterations,
    refitSeconds,
    scoredComments: site.comments.size,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(
    `\nOne core, ${m.reader.length} ratings (${m.readerIds.length} readers, ${m.commentIds.length} comments): fit ${fmt(fitSeconds, 2)} s (${plain.iterations} sweeps); ` +
      `full refit (weights + rings + main fit + safety refit + badges) ${fmt(refitSeconds, 2)} s; peak RSS ${fmt(timing.peakRssMiB, 0)} MiB`,
  );
}

const best = mainRows[0];
const baselines = mainRows.filter(
  (r) => !r.method.startsWith(" ") && r.method !== best.method && !r.method.startsWith("("),
);
const targets = {
  slantBeatsEveryBaseline: baselines.every(
    (r) => Math.abs(best.slantAt10) < Math.abs(r.slantAt10) && best.oneSidedness < r.oneSidedness,
  ),
  brigadeBeatsEveryBaseline: brigadeRows.every((b) =>
    b.rows
      .filter((r) => baselines.some((x) => x.method === r.method))
      .every((r) => b.rows[0].brigadeSuccess <= r.brigadeSuccess),
  ),
  precisionAtLeastEveryBaseline: baselines.every((r) => best.precisionAt10 >= r.precisionAt10),
  fitUnder60s: timing ? timing.refitSeconds < 60 : null,
  notesAccurateShownAtLeast80: notesMain[0].accurateShown >= 0.8,
  notesPartisanShownAtMost5: notesMain[0].partisanShown <= 0.05,
  notesNoBrigadeWins: worstBrigade(0) === 0,
  notesEveryBaselineWorseOnOne: notesMain
    .slice(1)
    .every(
      (r, i) =>
        r.accurateShown < notesMain[0].accurateShown ||
        r.partisanShown > notesMain[0].partisanShown ||
        worstBrigade(i + 1) > worstBrigade(0),
    ),
};
console.log("\nTargets:", JSON.stringify(targets));
mkdirSync(new URL("../bench/results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("../bench/results/bridging.json", import.meta.url),
  JSON.stringify(
    {
      seed,
      quick,
      simulation: mainSite.options,
      main: mainRows,
      brigades: brigadeRows,
      notes: { main: notesMain, brigades: noteBrigades },
      timing,
      evaluationSeconds,
      targets,
      node: process.version,
    },
    null,
    2,
  ) + "\n",
);
