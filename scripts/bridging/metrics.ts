/** Ranking metrics for the evaluation. Scores of NaN rank last. */

/** Spearman's rank correlation over the indices in `subset` (average ranks for ties). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>, subset: ArrayLike<number>): number {
  const rx = ranks(Array.from(subset, (i) => (Number.isNaN(x[i]) ? -Infinity : x[i])));
  const ry = ranks(Array.from(subset, (i) => (Number.isNaN(y[i]) ? -Infinity : y[i])));
  const n = rx.length;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

function ranks(values: number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    for (let t = i; t <= j; t++) out[order[t]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** The first `n` of `items` by descending score; NaN last; ties by index for determinism. */
export function topBy(items: readonly number[], score: ArrayLike<number>, n: number): number[] {
  const key = (i: number) => (Number.isNaN(score[i]) ? -Infinity : score[i]);
  return [...items].sort((a, b) => key(b) - key(a) || a - b).slice(0, n);
}
