/**
 * Evaluation helpers: bootstrap intervals, the context comparison and HateCheck (a
 * diagnostic suite: read here, never trained on).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mulberry32, parseCsv } from "./data.js";
import { rocAuc } from "./metrics.js";

export type Interval = [number, number];

/** Percentile bootstrap: the statistic over `rounds` resamples of the row indices. */
export function bootstrap(n: number, statistic: (rows: Int32Array) => number, rounds = 1000, seed = 7): Interval {
  const rand = mulberry32(seed);
  const values: number[] = [];
  const rows = new Int32Array(n);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) rows[i] = Math.floor(rand() * n);
    const v = statistic(rows);
    if (!Number.isNaN(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))] ?? NaN;
  return [at(0.025), at(0.975)];
}

const pick = (xs: ArrayLike<number>, rows: Int32Array) => Array.from(rows, (i) => xs[i]);

/** ROC-AUC with its 95% bootstrap interval. */
export function aucWithInterval(scores: number[], labels: number[], rounds = 1000): { auc: number; ci: Interval } {
  return {
    auc: rocAuc(scores, labels),
    ci: bootstrap(labels.length, (rows) => rocAuc(pick(scores, rows), pick(labels, rows)), rounds),
  };
}

/** A share of flags with its 95% bootstrap interval. */
export function shareWithInterval(flags: boolean[]): { share: number; ci: Interval; n: number } {
  const ones = flags.map((f) => (f ? 1 : 0));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return { share: mean(ones), ci: bootstrap(ones.length, (rows) => mean(pick(ones, rows))), n: flags.length };
}

/** AUC with context minus AUC without, paired on the same resamples. */
export function aucDelta(withContext: number[], without: number[], labels: number[]) {
  const delta = rocAuc(withContext, labels) - rocAuc(without, labels);
  const ci = bootstrap(labels.length, (rows) => {
    const l = pick(labels, rows);
    return rocAuc(pick(withContext, rows), l) - rocAuc(pick(without, rows), l);
  });
  return { with: rocAuc(withContext, labels), without: rocAuc(without, labels), delta, ci };
}

export interface HateCheckCase {
  functionality: string;
  text: string;
  hateful: number;
}
export function loadHateCheck(dir: string): HateCheckCase[] {
  return parseCsv(readFileSync(join(dir, "hatecheck/test_suite_cases.csv"), "utf8")).map((r) => ({
    functionality: r.functionality,
    text: r.test_case.trim(),
    hateful: r.label_gold === "hateful" ? 1 : 0,
  }));
}
