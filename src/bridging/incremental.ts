/**
 * Scores new (or newly rated) comments between full refits: the readers, μ, the penalties and
 * the noise level stay as the last refit left them, and each comment's (intercept, factor) is
 * its own 2×2 ridge problem, the same one the full fit solves in its comment half-step.
 */
import { indexRatings } from "./matrix.js";
import { helpfulBySide, lowerBounds, solveSide, type State } from "./model.js";
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
  const commentScored = new Uint8Array(nComments);
  for (let c = 0; c < nComments; c++) if (commentCount[c] >= o.minCommentRatings) commentScored[c] = 1;
  const kept: number[] = [];
  for (let k = 0; k < m.reader.length; k++)
    if (readerWeight[m.reader[k]] > 0 && commentScored[m.comment[k]]) kept.push(k);
  const s: State = {
    m,
    active: Int32Array.from(kept),
    readerWeight,
    mu: previous.mu,
    readerIntercept,
    readerFactor,
    commentIntercept: new Float64Array(nComments),
    commentFactor: new Float64Array(nComments),
    readerUsed: new Int32Array(nReaders),
    commentScored,
  };
  solveSide(s, "comments", previous.penalties, new Float64Array(5 * nComments));
  const bound = new Float64Array(nComments);
  lowerBounds(s, previous.residualVariance, previous.penalties, o.lowerBoundZ, bound);
  const { helpfulNegative, helpfulPositive } = helpfulBySide(m, s.active, readerFactor);
  const result = new Map<string, CommentScore>();
  for (let c = 0; c < nComments; c++) {
    if (!commentScored[c]) continue;
    result.set(m.commentIds[c], {
      intercept: s.commentIntercept[c],
      factor: s.commentFactor[c],
      lowerBound: bound[c],
      ratingCount: commentCount[c],
      helpfulNegative: helpfulNegative[c],
      helpfulPositive: helpfulPositive[c],
    });
  }
  return result;
}
