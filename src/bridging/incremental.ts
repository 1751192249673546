/**
 * Scores new (or newly rated) comments between full refits: the readers, μ and the noise level
 * stay as the last refit left them, and each comment's (intercept, factor) is its own 2×2 ridge
 * problem, the same one the full fit solves in its comment half-step.
 */
import { indexRatings } from "./matrix.js";
import { lowerBounds, solveSide } from "./model.js";
import { DEFAULT_FIT_OPTIONS, type CommentScore, type FitOptions, type FitResult, type Rating } from "./types.js";

/**
 * `ratings` holds every rating of the comments to score. Ratings from readers the last refit did
 * not count are ignored; comments with fewer than `minCommentRatings` counted ratings stay unscored.
 */
export function scoreComments(
  previous: FitResult,
  ratings: readonly Rating[],
  options: Partial<FitOptions> = {},
): Map<string, CommentScore> {
  const o = { ...DEFAULT_FIT_OPTIONS, ...options };
  const m = indexRatings(ratings);
  const nReaders = m.readerIds.length;
  const nComments = m.commentIds.length;
  const readerIntercept = new Float64Array(nReaders);
  const readerFactor = new Float64Array(nReaders);
  const readerWeight = new Float64Array(nReaders);
  for (let u = 0; u < nReaders; u++) {
    const reader = previous.readers.get(m.readerIds[u]);
    if (!reader) continue;
    readerIntercept[u] = reader.intercept;
    readerFactor[u] = reader.factor;
    readerWeight[u] = reader.weight;
  }
  const commentCount = new Int32Array(nComments);
  for (let k = 0; k < m.reader.length; k++) if (readerWeight[m.reader[k]] > 0) commentCount[m.comment[k]]++;
  const scored = new Uint8Array(nComments);
  for (let c = 0; c < nComments; c++) if (commentCount[c] >= o.minCommentRatings) scored[c] = 1;
  const kept: number[] = [];
  for (let k = 0; k < m.reader.length; k++) if (readerWeight[m.reader[k]] > 0 && scored[m.comment[k]]) kept.push(k);
  const active = Int32Array.from(kept);

  const intercept = new Float64Array(nComments);
  const factor = new Float64Array(nComments);
  const sums = new Float64Array(5 * nComments);
  solveSide(
    m.comment,
    m.reader,
    m,
    active,
    readerWeight,
    previous.mu,
    readerIntercept,
    readerFactor,
    intercept,
    factor,
    nComments,
    o,
    sums,
  );
  const bound = new Float64Array(nComments);
  lowerBounds(m, active, readerWeight, readerFactor, intercept, scored, previous.residualVariance, o, bound);

  const helpfulNegative = new Int32Array(nComments);
  const helpfulPositive = new Int32Array(nComments);
  for (const k of active) {
    if (m.value[k] < 0.5) continue;
    const f = readerFactor[m.reader[k]];
    if (f < 0) helpfulNegative[m.comment[k]]++;
    else if (f > 0) helpfulPositive[m.comment[k]]++;
  }
  const result = new Map<string, CommentScore>();
  for (let c = 0; c < nComments; c++) {
    if (!scored[c]) continue;
    result.set(m.commentIds[c], {
      intercept: intercept[c],
      factor: factor[c],
      lowerBound: bound[c],
      ratingCount: commentCount[c],
      helpfulNegative: helpfulNegative[c],
      helpfulPositive: helpfulPositive[c],
    });
  }
  return result;
}
