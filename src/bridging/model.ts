/**
 * The bridging model of Community Notes, one factor:
 *   rating ≈ μ + i_reader + i_comment + f_reader · f_comment
 * fitted by weighted alternating least squares on
 *   Σ w (rating − prediction)² + λ_i (μ² + Σ i²) + λ_f Σ f².
 * With the reader side fixed, each comment's (intercept, factor) is a 2×2 ridge problem with a
 * closed-form solution, and vice versa, so every half-step is one pass over the ratings and the
 * loss never increases. The factor soaks up agreement that follows the readers' divide; what is
 * left in a comment's intercept is helpfulness both sides see.
 */
import { indexRatings, readerCounts, type RatingMatrix } from "./matrix.js";
import { seededRandom } from "./random.js";
import {
  DEFAULT_FIT_OPTIONS,
  type CommentScore,
  type FitOptions,
  type FitResult,
  type Rating,
  type ReaderScore,
} from "./types.js";

/** A fit over a RatingMatrix, kept in arrays indexed like the matrix's readerIds / commentIds. */
export interface MatrixFit {
  mu: number;
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

/** Fits the model to ratings; `readerWeights` (default 1) come from `historyAndPuppetWeights`. */
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

  let used = 0;
  for (let k = 0; k < m.reader.length; k++) if (readerCounted[m.reader[k]] && commentScored[m.comment[k]]) used++;
  const active = new Int32Array(used);
  used = 0;
  for (let k = 0; k < m.reader.length; k++)
    if (readerCounted[m.reader[k]] && commentScored[m.comment[k]]) active[used++] = k;
  const readerUsed = new Int32Array(nReaders);
  for (let j = 0; j < active.length; j++) readerUsed[m.reader[active[j]]]++;

  const readerIntercept = new Float64Array(nReaders);
  const readerFactor = new Float64Array(nReaders);
  const commentIntercept = new Float64Array(nComments);
  const commentFactor = new Float64Array(nComments);
  const random = seededRandom(o.seed);
  for (let u = 0; u < nReaders; u++) if (readerUsed[u] > 0) readerFactor[u] = random.normal();

  let sw = 0;
  let swv = 0;
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    const w = readerWeight[m.reader[k]];
    sw += w;
    swv += w * m.value[k];
  }
  let mu = swv / (sw + o.lambdaIntercept);
  const sums = new Float64Array(5 * Math.max(nReaders, nComments));
  let previous = Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < o.maxIterations) {
    iterations++;
    solveSide(
      m.comment,
      m.reader,
      m,
      active,
      readerWeight,
      mu,
      readerIntercept,
      readerFactor,
      commentIntercept,
      commentFactor,
      nComments,
      o,
      sums,
    );
    solveSide(
      m.reader,
      m.comment,
      m,
      active,
      readerWeight,
      mu,
      commentIntercept,
      commentFactor,
      readerIntercept,
      readerFactor,
      nReaders,
      o,
      sums,
    );
    let swr = 0;
    for (let j = 0; j < active.length; j++) {
      const k = active[j];
      const u = m.reader[k];
      const c = m.comment[k];
      swr +=
        readerWeight[u] * (m.value[k] - readerIntercept[u] - commentIntercept[c] - readerFactor[u] * commentFactor[c]);
    }
    mu = swr / (sw + o.lambdaIntercept);
    mu = settleFlatDirections(
      mu,
      readerIntercept,
      readerFactor,
      readerUsed,
      commentIntercept,
      commentFactor,
      commentScored,
      o,
    );
    const loss = lossOf(m, active, readerWeight, mu, readerIntercept, readerFactor, commentIntercept, commentFactor, o);
    if (Math.abs(previous - loss) <= o.tolerance * Math.max(1, loss)) {
      converged = true;
      break;
    }
    previous = loss;
  }

  identifySign(readerFactor, commentFactor, readerWeight);
  let swrr = 0;
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    const u = m.reader[k];
    const c = m.comment[k];
    const r = m.value[k] - mu - readerIntercept[u] - commentIntercept[c] - readerFactor[u] * commentFactor[c];
    swrr += readerWeight[u] * r * r;
  }
  const residualVariance = sw > 0 ? swrr / sw : 0.25;
  const commentLowerBound = new Float64Array(nComments).fill(Number.NEGATIVE_INFINITY);
  const helpfulNegative = new Int32Array(nComments);
  const helpfulPositive = new Int32Array(nComments);
  lowerBounds(
    m,
    active,
    readerWeight,
    readerFactor,
    commentIntercept,
    commentScored,
    residualVariance,
    o,
    commentLowerBound,
  );
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    if (m.value[k] < 0.5) continue;
    const f = readerFactor[m.reader[k]];
    if (f < 0) helpfulNegative[m.comment[k]]++;
    else if (f > 0) helpfulPositive[m.comment[k]]++;
  }
  return {
    mu,
    readerIntercept,
    readerFactor,
    readerWeight,
    readerCounted,
    readerUsed,
    commentIntercept,
    commentFactor,
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

/**
 * One half-step: with the `other` side fixed, solve every entity of `own` side's 2×2 ridge
 * problem for (intercept, factor). `sums` is scratch space of 5 per entity.
 */
export function solveSide(
  own: Int32Array,
  other: Int32Array,
  m: RatingMatrix,
  active: Int32Array,
  readerWeight: Float64Array,
  mu: number,
  otherIntercept: Float64Array,
  otherFactor: Float64Array,
  ownIntercept: Float64Array,
  ownFactor: Float64Array,
  n: number,
  o: FitOptions,
  sums: Float64Array,
): void {
  sums.fill(0, 0, 5 * n);
  const weightOfOwn = own === m.reader;
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    const e = own[k];
    const x = other[k];
    const w = readerWeight[weightOfOwn ? e : x];
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
    const a = sums[b] + o.lambdaIntercept;
    const off = sums[b + 1];
    const d = sums[b + 2] + o.lambdaFactor;
    const det = a * d - off * off;
    ownIntercept[e] = (sums[b + 3] * d - off * sums[b + 4]) / det;
    ownFactor[e] = (a * sums[b + 4] - off * sums[b + 3]) / det;
  }
}

/**
 * Lower bound of each scored comment's intercept: the ridge posterior standard error with the
 * readers fixed, σ²·(A⁻¹)₀₀, so a comment with few (or few independent) ratings ranks lower than
 * an equally liked one with many.
 */
export function lowerBounds(
  m: RatingMatrix,
  active: Int32Array,
  readerWeight: Float64Array,
  readerFactor: Float64Array,
  commentIntercept: Float64Array,
  commentScored: Uint8Array,
  variance: number,
  o: FitOptions,
  out: Float64Array,
): void {
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
    if (!commentScored[c] || sums[3 * c] === 0) continue;
    const a = sums[3 * c] + o.lambdaIntercept;
    const off = sums[3 * c + 1];
    const d = sums[3 * c + 2] + o.lambdaFactor;
    out[c] = commentIntercept[c] - o.lowerBoundZ * Math.sqrt((variance * d) / (a * d - off * off));
  }
}

function lossOf(
  m: RatingMatrix,
  active: Int32Array,
  readerWeight: Float64Array,
  mu: number,
  ri: Float64Array,
  rf: Float64Array,
  ci: Float64Array,
  cf: Float64Array,
  o: FitOptions,
): number {
  let loss = 0;
  for (let j = 0; j < active.length; j++) {
    const k = active[j];
    const u = m.reader[k];
    const c = m.comment[k];
    const r = m.value[k] - mu - ri[u] - ci[c] - rf[u] * cf[c];
    loss += readerWeight[u] * r * r;
  }
  let intercepts = mu * mu;
  let factors = 0;
  for (let u = 0; u < ri.length; u++) {
    intercepts += ri[u] * ri[u];
    factors += rf[u] * rf[u];
  }
  for (let c = 0; c < ci.length; c++) {
    intercepts += ci[c] * ci[c];
    factors += cf[c] * cf[c];
  }
  return loss + o.lambdaIntercept * intercepts + o.lambdaFactor * factors;
}

/**
 * Moves that leave every prediction unchanged (shifting intercept between μ, readers and
 * comments; trading a constant in one side's factor for the other side's intercepts; scaling
 * the factors) are pinned only by the weak regularisation, so alternating least squares would
 * crawl along them for hundreds of sweeps. Each has a closed-form best step; take it every sweep.
 */
function settleFlatDirections(
  mu: number,
  ri: Float64Array,
  rf: Float64Array,
  readerUsed: Int32Array,
  ci: Float64Array,
  cf: Float64Array,
  commentScored: Uint8Array,
  o: FitOptions,
): number {
  const li = o.lambdaIntercept;
  const lf = o.lambdaFactor;
  let nu = 0,
    su = 0,
    sfu = 0,
    sfu2 = 0,
    siufu = 0;
  for (let u = 0; u < ri.length; u++) {
    if (!readerUsed[u]) continue;
    nu++;
    su += ri[u];
    sfu += rf[u];
    sfu2 += rf[u] * rf[u];
    siufu += ri[u] * rf[u];
  }
  let nc = 0,
    sc = 0,
    sfc = 0,
    sfc2 = 0,
    sicfc = 0;
  for (let c = 0; c < ci.length; c++) {
    if (!commentScored[c]) continue;
    nc++;
    sc += ci[c];
    sfc += cf[c];
    sfc2 += cf[c] * cf[c];
    sicfc += ci[c] * cf[c];
  }
  if (nu === 0 || nc === 0) return mu;
  // Intercept shifts: minimise (μ + t)² + Σ(i_u − t + s)² + Σ(i_c − s)² jointly over (t, s).
  // Normal equations: (1 + nu) t − nu s = su − μ ;  −nu t + (nu + nc) s = sc − su.
  const a11 = 1 + nu,
    a12 = -nu,
    a22 = nu + nc;
  const b1 = su - mu,
    b2 = sc - su;
  const det = a11 * a22 - a12 * a12;
  const t = (b1 * a22 - a12 * b2) / det;
  const s = (a11 * b2 - a12 * b1) / det;
  mu += t;
  for (let u = 0; u < ri.length; u++) if (readerUsed[u]) ri[u] += s - t;
  for (let c = 0; c < ci.length; c++) if (commentScored[c]) ci[c] -= s;
  siufu += (s - t) * sfu;
  // f_c += a, i_u −= a·f_u.
  const a = (li * siufu - lf * sfc) / (lf * nc + li * sfu2);
  for (let c = 0; c < cf.length; c++) if (commentScored[c]) cf[c] += a;
  for (let u = 0; u < ri.length; u++) if (readerUsed[u]) ri[u] -= a * rf[u];
  sfc += nc * a;
  sfc2 = 0;
  sicfc = 0;
  for (let c = 0; c < ci.length; c++)
    if (commentScored[c]) {
      sfc2 += cf[c] * cf[c];
      sicfc += ci[c] * cf[c];
    }
  // f_u += b, i_c −= b·f_c.
  const b = (li * sicfc - lf * sfu) / (lf * nu + li * sfc2);
  for (let u = 0; u < rf.length; u++) if (readerUsed[u]) rf[u] += b;
  for (let c = 0; c < ci.length; c++) if (commentScored[c]) ci[c] -= b * cf[c];
  // f_u·k, f_c / k.
  sfu2 = 0;
  for (let u = 0; u < rf.length; u++) if (readerUsed[u]) sfu2 += rf[u] * rf[u];
  if (sfu2 > 0 && sfc2 > 0) {
    const k = Math.sqrt(Math.sqrt(sfc2 / sfu2));
    for (let u = 0; u < rf.length; u++) rf[u] *= k;
    for (let c = 0; c < cf.length; c++) cf[c] /= k;
  }
  return mu;
}

/** The factor's sign is arbitrary; make the side holding more reader weight positive so fits agree. */
function identifySign(readerFactor: Float64Array, commentFactor: Float64Array, readerWeight: Float64Array): void {
  let balance = 0;
  for (let u = 0; u < readerFactor.length; u++) balance += readerWeight[u] * Math.sign(readerFactor[u]);
  if (balance >= 0) return;
  for (let u = 0; u < readerFactor.length; u++) readerFactor[u] = -readerFactor[u];
  for (let c = 0; c < commentFactor.length; c++) commentFactor[c] = -commentFactor[c];
}

export function toFitResult(m: RatingMatrix, f: MatrixFit): FitResult {
  const readers = new Map<string, ReaderScore>();
  for (let u = 0; u < m.readerIds.length; u++) {
    if (!f.readerCounted[u]) continue;
    readers.set(m.readerIds[u], {
      intercept: f.readerIntercept[u],
      factor: f.readerFactor[u],
      ratingCount: f.readerUsed[u],
      weight: f.readerWeight[u],
    });
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
  return {
    mu: f.mu,
    readers,
    comments,
    residualVariance: f.residualVariance,
    iterations: f.iterations,
    converged: f.converged,
    ratingsUsed: f.ratingsUsed,
  };
}
