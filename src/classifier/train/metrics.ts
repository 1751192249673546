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

/**
 * The lowest score whose false-positive rate stays within maxFpr, exactly (no grid): the
 * value just above the negatives' (1 − maxFpr) quantile.
 */
export function exactThresholdForFpr(negatives: ArrayLike<number>, maxFpr: number): number {
  const sorted = Float64Array.from(negatives).sort();
  const allowed = Math.floor(sorted.length * maxFpr);
  if (sorted.length === 0) return 0.5;
  const above = sorted[sorted.length - 1 - allowed];
  return Math.min(1, above + 1e-9);
}

/** Platt scaling: a and b minimising the log loss of sigmoid(a·z + b) against the labels (damped Newton). */
export function fitPlatt(logits: ArrayLike<number>, labels: ArrayLike<number>): [number, number] {
  const n = logits.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i];
  // Platt's smoothed targets keep a separable set from driving a to infinity.
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  const loss = (a: number, b: number) => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const m = a * logits[i] + b;
      const t = labels[i] === 1 ? hi : lo;
      // log(1 + e^m) − t·m, computed without overflow.
      l += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - t * m;
    }
    return l;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0,
      gb = 0,
      haa = 1e-6,
      hab = 0,
      hbb = 1e-6;
    for (let i = 0; i < n; i++) {
      const z = logits[i];
      const p = 1 / (1 + Math.exp(-(a * z + b)));
      const d = p - (labels[i] === 1 ? hi : lo);
      const w = Math.max(p * (1 - p), 1e-12);
      ga += d * z;
      gb += d;
      haa += w * z * z;
      hab += w * z;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = loss(a - da, b - db);
    while (!(next <= current) && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (!(next <= current)) break;
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const gain = current - next;
    current = next;
    if (gain < 1e-10) break;
  }
  return [a, b];
}

/** Logistic regression of labels on u + β·x (u a fixed offset): β by Newton, lightly regularised. */
export function fitOffsetLogistic(offset: ArrayLike<number>, x: ArrayLike<number>, labels: ArrayLike<number>): number {
  let beta = 0;
  for (let iter = 0; iter < 50; iter++) {
    let g = beta;
    let h = 1;
    for (let i = 0; i < offset.length; i++) {
      const p = 1 / (1 + Math.exp(-(offset[i] + beta * x[i])));
      g += (p - labels[i]) * x[i];
      h += p * (1 - p) * x[i] * x[i];
    }
    const step = g / h;
    beta -= step;
    if (Math.abs(step) < 1e-9) break;
  }
  return beta;
}

/**
 * Logistic regression by Newton's method with an L2 penalty (not on the intercept):
 * returns the weights of each column of X, then the intercept.
 */
export function fitLogistic(X: number[][], labels: ArrayLike<number>, l2 = 1e-2, iterations = 50): number[] {
  const n = X.length;
  const d = (X[0]?.length ?? 0) + 1;
  const w = new Array<number>(d).fill(0);
  for (let iter = 0; iter < iterations; iter++) {
    const g = new Array<number>(d).fill(0);
    const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < n; i++) {
      const x = [...X[i], 1];
      let m = 0;
      for (let j = 0; j < d; j++) m += w[j] * x[j];
      const p = 1 / (1 + Math.exp(-m));
      const r = Math.max(p * (1 - p), 1e-12);
      for (let j = 0; j < d; j++) {
        g[j] += (p - labels[i]) * x[j];
        for (let l = 0; l < d; l++) H[j][l] += r * x[j] * x[l];
      }
    }
    for (let j = 0; j < d - 1; j++) {
      g[j] += l2 * w[j];
      H[j][j] += l2;
    }
    H[d - 1][d - 1] += 1e-9;
    const step = solve(H, g);
    let size = 0;
    for (let j = 0; j < d; j++) {
      w[j] -= step[j];
      size = Math.max(size, Math.abs(step[j]));
    }
    if (size < 1e-10) break;
  }
  return w;
}

/** Solves A·x = b by Gaussian elimination with partial pivoting (small dense systems). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}
