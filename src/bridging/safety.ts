/**
 * The safety refit: the same model without the most active raters. A handful of accounts that
 * rate everything can steer the factor; a badge must survive their removal.
 */
import { readerCounts, withoutReaders, type RatingMatrix } from "./matrix.js";
import { fitMatrix, type MatrixFit } from "./model.js";
import type { FitOptions } from "./types.js";

/** Share of counted readers, the most active first, left out of the safety refit. */
export const SAFETY_SHARE = 0.001;

/** The readers to leave out: the top `share` of counted readers by rating count (at least one). */
export function mostActiveReaders(m: RatingMatrix, weight: Float64Array, share = SAFETY_SHARE): Uint8Array {
  const counts = readerCounts(m);
  const counted: number[] = [];
  for (let u = 0; u < counts.length; u++) if (weight[u] > 0) counted.push(u);
  counted.sort((a, b) => counts[b] - counts[a] || a - b);
  const drop = new Uint8Array(counts.length);
  const n = counted.length === 0 ? 0 : Math.max(1, Math.ceil(counted.length * share));
  for (let i = 0; i < n; i++) drop[counted[i]] = 1;
  return drop;
}

export function safetyRefit(
  m: RatingMatrix,
  weight: Float64Array,
  options: Partial<FitOptions> = {},
  share = SAFETY_SHARE,
): { fit: MatrixFit; matrix: RatingMatrix; left: number } {
  const drop = mostActiveReaders(m, weight, share);
  const matrix = withoutReaders(m, drop);
  let left = 0;
  for (let u = 0; u < drop.length; u++) left += drop[u];
  return { fit: fitMatrix(matrix, options, weight), matrix, left };
}
