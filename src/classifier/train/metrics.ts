/** Ranking and threshold metrics for the evaluation and threshold choice. */

/** ROC-AUC by the rank-sum formula, ties counted half. NaN when one class is missing. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, k) => k).sort((a, b) => scores[a] - scores[b]);
  let pos = 0,
    neg = 0,
    rankSum = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (labels[idx[k]] === 1) {
        pos++;
        rankSum += rank;
      } else neg++;
    i = j + 1;
  }
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface AtThreshold {
  threshold: number;
  precision: number;
  recall: number;
  fpr: number;
  flagged: number;
}

export function atThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): AtThreshold {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0;
  for (let k = 0; k < scores.length; k++) {
    const flag = scores[k] >= threshold;
    if (labels[k] === 1) {
      if (flag) tp++;
      else fn++;
    } else if (flag) fp++;
    else tn++;
  }
  return {
    threshold,
    precision: tp + fp ? tp / (tp + fp) : NaN,
    recall: tp + fn ? tp / (tp + fn) : NaN,
    fpr: fp + tn ? fp / (fp + tn) : NaN,
    flagged: (tp + fp) / Math.max(1, scores.length),
  };
}

/** Lowest threshold (on a 0.01 grid) whose false-positive rate stays within maxFpr. */
export function thresholdForFpr(scores: ArrayLike<number>, labels: ArrayLike<number>, maxFpr: number): number {
  for (let t = 0.05; t < 0.995; t += 0.01) {
    const r = atThreshold(scores, labels, t);
    if (!(r.fpr > maxFpr)) return Math.round(t * 100) / 100;
  }
  return 0.99;
}
