/**
 * The bridging model of Community Notes, one factor:
 *   rating ≈ μ + i_reader + i_comment + f_reader · f_comment
 * fitted by weighted alternating least squares on squared error plus λ_i on intercepts and λ_f
 * on factors. With the reader side fixed, each comment's (intercept, factor) is a 2×2 ridge
 * problem with a closed-form solution, and vice versa, so every half-step is one pass over the
 * ratings and the loss never increases. The factor soaks up agreement that follows the readers'
 * divide; what is left in a comment's intercept is helpfulness both sides see.
 */
import { indexRatings, readerCounts, type RatingMatrix } from "./matrix.js";
import { seededRandom } from "./random.js";
import {
  DEFAULT_FIT_OPTIONS,
  type CommentScore,
  type FitOptions,
  type FitResult,
  type Penalties,
  type Rating,
  type ReaderScore,
} from "./types.js";

/** A fit over a RatingMatrix, kept in arrays indexed like the matrix's readerIds / commentIds. */
export interface MatrixFit {
  mu: number;
  penalties: Penalties;
  readerIntercept: Float64Array;
  readerFactor: Float64Array;
  /** Rating weight per reader (0 for readers not counted). */
  readerWeight: Float64Array;
  readerCounted: Uint8Array;
  readerUsed: Int32Array;
  commentIntercept: Float64Array;
  commentFactor: Float64Array;
  commentLowerBound: Float64Array;
  commentScored: Uint8Array;
  commentCount: Int32Array;
  helpfulNegative: Int32Array;
  helpfulPositive: Int32Array;
  residualVariance: number;
  iterations: number;
  converged: boolean;
  ratingsUsed: number;
}

/** Fits the model to ratings; `readerWeights` (default 1) come from `readerWeights` in puppets.ts. */
export function fit(
  ratings: readonly Rating[],
  options: Partial<FitOptions> = {},
  readerWeights?: ReadonlyMap<string, number>,
): FitResult {
  const m = indexRatings(ratings);
  const weights = readerWeights ? Float64Array.from(m.readerIds, (id) => readerWeights.get(id) ?? 1) : undefined;
  return toFitResult(m, fitMatrix(m, options, weights));
}

export function fitMatrix(m: RatingMatrix, partial: Partial<FitOptions> = {}, weights?: Float64Array): MatrixFit {
  const o = { ...DEFAULT_FIT_OPTIONS, ...partial };
  const nReaders = m.readerIds.length;
  const nComments = m.commentIds.length;
  const counts = readerCounts(m);
  const readerCounted = new Uint8Array(nReaders);
  const readerWeight = new Float64Array(nReaders);
  for (let u = 0; u < nReaders; u++) {
    const w = weights ? weights[u] : 1;
    if (counts[u] >= o.minReaderRatings && w > 0) {
      readerCounted[u] = 1;
      readerWeight[u] = w;
    }
  }
  const commentCount = new Int32Array(nComments);
  for (let k = 0; k < m.reader.length; k++) if (readerCounted[m.reader[k]]) commentCount[m.comment[k]]++;
  const commentScored = new Uint8Array(nComments);
  for (let c = 0; c < nComments; c++) if (commentCount[c] >= o.minCommentRatings) commentScored[c] = 1;
  const kept: number[] = [];
  for (let k = 0; k < m.reader.length; k++) if (readerCounted[m.reader[k]] && commentScored[m.comment[k]]) kept.push(k);
  const active = Int32Array.from(kept);
  const readerUsed = new Int32Array(nReaders);
  for (let j = 0; j < active.length; j++) readerUsed[m.reader[active[j]]]++;
  let nu = 0;
  let nc = 0;
  for (let u = 0; u < nReaders; u++) if (readerUsed[u]) nu++;
  for (let c = 0; c < nComments; c++) if (commentScored[c]) nc++;

  let sw = 0;
  let swv = 0;
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    sw += readerWeight[m.reader[k]];
    swv += readerWeight[m.reader[k]] * m.value[k];
  }
  const p = penaltiesFor(o, sw, nu, nc);
  const s: State = {
    m,
    active,
    readerWeight,
    mu: swv / (sw + p.mu),
    readerIntercept: new Float64Array(nReaders),
    readerFactor: new Float64Array(nReaders),
    commentIntercept: new Float64Array(nComments),
    commentFactor: new Float64Array(nComments),
    readerUsed,
    commentScored,
  };
  const random = seededRandom(o.seed);
  for (let u = 0; u < nReaders; u++) if (readerUsed[u] > 0) s.readerFactor[u] = random.normal();

  const sums = new Float64Array(5 * Math.max(nReaders, nComments));
  let previous = Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < o.maxIterations) {
    iterations++;
    solveSide(s, "comments", p, sums);
    solveSide(s, "readers", p, sums);
    s.mu = solveMu(s, sw, p);
    settleFlatDirections(s, p);
    const loss = lossOf(s, p);
    if (Math.abs(previous - loss) <= o.tolerance * Math.max(1e-12, loss)) {
      converged = true;
      break;
    }
    previous = loss;
  }
  identifySign(s);

  let swrr = 0;
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    const u = m.reader[k];
    const r = m.value[k] - predict(s, u, m.comment[k]);
    swrr += readerWeight[u] * r * r;
  }
  const residualVariance = sw > 0 ? swrr / sw : 0.25;
  const commentLowerBound = new Float64Array(nComments).fill(Number.NEGATIVE_INFINITY);
  lowerBounds(s, residualVariance, p, o.lowerBoundZ, commentLowerBound);
  const { helpfulNegative, helpfulPositive } = helpfulBySide(m, active, s.readerFactor);
  return {
    mu: s.mu,
    penalties: p,
    readerIntercept: s.readerIntercept,
    readerFactor: s.readerFactor,
    readerWeight,
    readerCounted,
    readerUsed,
    commentIntercept: s.commentIntercept,
    commentFactor: s.commentFactor,
    commentLowerBound,
    commentScored,
    commentCount,
    helpfulNegative,
    helpfulPositive,
    residualVariance,
    iterations,
    converged,
    ratingsUsed: active.length,
  };
}

/** The parameters being fitted, and which ratings, readers and comments take part. */
export interface State {
  m: RatingMatrix;
  active: Int32Array;
  readerWeight: Float64Array;
  mu: number;
  readerIntercept: Float64Array;
  readerFactor: Float64Array;
  commentIntercept: Float64Array;
  commentFactor: Float64Array;
  readerUsed: Int32Array;
  commentScored: Uint8Array;
}

const predict = (s: State, u: number, c: number): number =>
  s.mu + s.readerIntercept[u] + s.commentIntercept[c] + s.readerFactor[u] * s.commentFactor[c];

/** Penalties on the Σ-of-weighted-squared-errors scale. */
export function penaltiesFor(o: FitOptions, totalWeight: number, readers: number, comments: number): Penalties {
  if (o.regularisation === "sum") {
    const i = o.lambdaIntercept;
    const f = o.lambdaFactor;
    return { mu: i, readerIntercept: i, readerFactor: f, commentIntercept: i, commentFactor: f };
  }
  const perReader = totalWeight / Math.max(1, readers);
  const perComment = totalWeight / Math.max(1, comments);
  return {
    mu: o.lambdaIntercept * totalWeight,
    readerIntercept: o.lambdaIntercept * perReader,
    readerFactor: o.lambdaFactor * perReader,
    commentIntercept: o.lambdaIntercept * perComment,
    commentFactor: o.lambdaFactor * perComment,
  };
}

/**
 * One half-step: with the other side fixed, solve each reader's (or comment's) 2×2 ridge
 * problem for (intercept, factor). `sums` is scratch space of 5 per entity.
 */
export function solveSide(s: State, side: "readers" | "comments", p: Penalties, sums: Float64Array): void {
  const { m, active, readerWeight, mu } = s;
  const readers = side === "readers";
  const own = readers ? m.reader : m.comment;
  const other = readers ? m.comment : m.reader;
  const otherIntercept = readers ? s.commentIntercept : s.readerIntercept;
  const otherFactor = readers ? s.commentFactor : s.readerFactor;
  const ownIntercept = readers ? s.readerIntercept : s.commentIntercept;
  const ownFactor = readers ? s.readerFactor : s.commentFactor;
  const li = readers ? p.readerIntercept : p.commentIntercept;
  const lf = readers ? p.readerFactor : p.commentFactor;
  const n = ownIntercept.length;
  sums.fill(0, 0, 5 * n);
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    const e = own[k];
    const x = other[k];
    const w = readerWeight[m.reader[k]];
    const f = otherFactor[x];
    const y = m.value[k] - mu - otherIntercept[x];
    const b = 5 * e;
    sums[b] += w;
    sums[b + 1] += w * f;
    sums[b + 2] += w * f * f;
    sums[b + 3] += w * y;
    sums[b + 4] += w * y * f;
  }
  for (let e = 0; e < n; e++) {
    const b = 5 * e;
    if (sums[b] === 0) continue;
    const a = sums[b] + li;
    const off = sums[b + 1];
    const d = sums[b + 2] + lf;
    const det = a * d - off * off;
    ownIntercept[e] = (sums[b + 3] * d - off * sums[b + 4]) / det;
    ownFactor[e] = (a * sums[b + 4] - off * sums[b + 3]) / det;
  }
}

function solveMu(s: State, totalWeight: number, p: Penalties): number {
  let swr = 0;
  for (let j = 0; j < s.active.length; j++) {
    const k = s.active[j];
    const u = s.m.reader[k];
    const c = s.m.comment[k];
    swr += s.readerWeight[u] * (s.m.value[k] - predict(s, u, c) + s.mu);
  }
  return swr / (totalWeight + p.mu);
}

/**
 * Lower bound of each scored comment's intercept: the ridge posterior standard error with the
 * readers fixed, σ²·(A⁻¹)₀₀, so a comment with few (or few independent) ratings ranks lower than
 * an equally rated one with many.
 */
export function lowerBounds(s: State, variance: number, p: Penalties, z: number, out: Float64Array): void {
  const { m, active, readerWeight, readerFactor } = s;
  const n = m.commentIds.length;
  const sums = new Float64Array(3 * n);
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    const u = m.reader[k];
    const w = readerWeight[u];
    const f = readerFactor[u];
    const b = 3 * m.comment[k];
    sums[b] += w;
    sums[b + 1] += w * f;
    sums[b + 2] += w * f * f;
  }
  for (let c = 0; c < n; c++) {
    if (!s.commentScored[c] || sums[3 * c] === 0) continue;
    const a = sums[3 * c] + p.commentIntercept;
    const off = sums[3 * c + 1];
    const d = sums[3 * c + 2] + p.commentFactor;
    out[c] = s.commentIntercept[c] - z * Math.sqrt((variance * d) / (a * d - off * off));
  }
}

/** Helpful ratings per comment from readers on the negative and on the positive side of the factor. */
export function helpfulBySide(
  m: RatingMatrix,
  active: Int32Array,
  readerFactor: Float64Array,
): { helpfulNegative: Int32Array; helpfulPositive: Int32Array } {
  const helpfulNegative = new Int32Array(m.commentIds.length);
  const helpfulPositive = new Int32Array(m.commentIds.length);
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    if (m.value[k] < 0.5) continue;
    const f = readerFactor[m.reader[k]];
    if (f < 0) helpfulNegative[m.comment[k]]++;
    else if (f > 0) helpfulPositive[m.comment[k]]++;
  }
  return { helpfulNegative, helpfulPositive };
}

function lossOf(s: State, p: Penalties): number {
  let loss = 0;
  for (let j = 0; j < s.active.length; j++) {
    const k = s.active[j];
    const u = s.m.reader[k];
    const r = s.m.value[k] - predict(s, u, s.m.comment[k]);
    loss += s.readerWeight[u] * r * r;
  }
  loss += p.mu * s.mu * s.mu;
  for (let u = 0; u < s.readerIntercept.length; u++) {
    loss += p.readerIntercept * s.readerIntercept[u] ** 2 + p.readerFactor * s.readerFactor[u] ** 2;
  }
  for (let c = 0; c < s.commentIntercept.length; c++) {
    loss += p.commentIntercept * s.commentIntercept[c] ** 2 + p.commentFactor * s.commentFactor[c] ** 2;
  }
  return loss;
}

/**
 * Moves that leave every prediction unchanged (shifting intercept between μ, readers and
 * comments; trading a constant in one side's factor for the other side's intercepts; scaling
 * the factors) are pinned only by the regularisation, so alternating least squares would crawl
 * along them for hundreds of sweeps. Each has a closed-form best step; take it every sweep.
 */
function settleFlatDirections(s: State, p: Penalties): void {
  const { readerIntercept: ri, readerFactor: rf, commentIntercept: ci, commentFactor: cf } = s;
  const readers: number[] = [];
  const comments: number[] = [];
  for (let u = 0; u < ri.length; u++) if (s.readerUsed[u]) readers.push(u);
  for (let c = 0; c < ci.length; c++) if (s.commentScored[c]) comments.push(c);
  const nu = readers.length;
  const nc = comments.length;
  if (nu === 0 || nc === 0) return;
  const sum = (ids: number[], f: (i: number) => number) => ids.reduce((acc, i) => acc + f(i), 0);
  // μ += t, readers += s − t, comments −= s: minimise the intercept penalties over (t, s).
  const su = sum(readers, (u) => ri[u]);
  const sc = sum(comments, (c) => ci[c]);
  const a11 = p.mu + p.readerIntercept * nu;
  const a12 = -p.readerIntercept * nu;
  const a22 = p.readerIntercept * nu + p.commentIntercept * nc;
  const b1 = p.readerIntercept * su - p.mu * s.mu;
  const b2 = p.commentIntercept * sc - p.readerIntercept * su;
  const det = a11 * a22 - a12 * a12;
  const t = (b1 * a22 - a12 * b2) / det;
  const shift = (a11 * b2 - a12 * b1) / det;
  s.mu += t;
  for (const u of readers) ri[u] += shift - t;
  for (const c of comments) ci[c] -= shift;
  // f_c += a, i_u −= a·f_u.
  const a =
    (p.readerIntercept * sum(readers, (u) => ri[u] * rf[u]) - p.commentFactor * sum(comments, (c) => cf[c])) /
    (p.commentFactor * nc + p.readerIntercept * sum(readers, (u) => rf[u] * rf[u]));
  for (const c of comments) cf[c] += a;
  for (const u of readers) ri[u] -= a * rf[u];
  // f_u += b, i_c −= b·f_c.
  const b =
    (p.commentIntercept * sum(comments, (c) => ci[c] * cf[c]) - p.readerFactor * sum(readers, (u) => rf[u])) /
    (p.readerFactor * nu + p.commentIntercept * sum(comments, (c) => cf[c] * cf[c]));
  for (const u of readers) rf[u] += b;
  for (const c of comments) ci[c] -= b * cf[c];
  // f_u·k, f_c / k.
  const fu2 = sum(readers, (u) => rf[u] * rf[u]);
  const fc2 = sum(comments, (c) => cf[c] * cf[c]);
  if (fu2 > 0 && fc2 > 0) {
    const k = Math.sqrt(Math.sqrt((p.commentFactor * fc2) / (p.readerFactor * fu2)));
    for (const u of readers) rf[u] *= k;
    for (const c of comments) cf[c] /= k;
  }
}

/** The factor's sign is arbitrary; make the side holding more reader weight positive so fits agree. */
function identifySign(s: State): void {
  let balance = 0;
  for (let u = 0; u < s.readerFactor.length; u++) balance += s.readerWeight[u] * Math.sign(s.readerFactor[u]);
  if (balance >= 0) return;
  for (let u = 0; u < s.readerFactor.length; u++) s.readerFactor[u] = -s.readerFactor[u];
  for (let c = 0; c < s.commentFactor.length; c++) s.commentFactor[c] = -s.commentFactor[c];
}

export function toFitResult(m: RatingMatrix, f: MatrixFit): FitResult {
  const readers = new Map<string, ReaderScore>();
  for (let u = 0; u < m.readerIds.length; u++) {
    if (!f.readerCounted[u]) continue;
    const reader = { intercept: f.readerIntercept[u], factor: f.readerFactor[u], ratingCount: f.readerUsed[u] };
    readers.set(m.readerIds[u], { ...reader, weight: f.readerWeight[u] });
  }
  const comments = new Map<string, CommentScore>();
  for (let c = 0; c < m.commentIds.length; c++) {
    if (!f.commentScored[c]) continue;
    comments.set(m.commentIds[c], {
      intercept: f.commentIntercept[c],
      factor: f.commentFactor[c],
      lowerBound: f.commentLowerBound[c],
      ratingCount: f.commentCount[c],
      helpfulNegative: f.helpfulNegative[c],
      helpfulPositive: f.helpfulPositive[c],
    });
  }
  const { mu, penalties, residualVariance, iterations, converged, ratingsUsed } = f;
  return { mu, penalties, readers, comments, residualVariance, iterations, converged, ratingsUsed };
}
