import type { Rating } from "./types.js";

/**
 * Ratings as parallel typed arrays, indexed once per refit: the fit loops over these many
 * times, and a million objects would cost both memory and time on every pass.
 */
export interface RatingMatrix {
  readerIds: string[];
  commentIds: string[];
  reader: Int32Array;
  comment: Int32Array;
  value: Float32Array;
}

/** Assumes one rating per reader and comment, as the ratings table guarantees. */
export function indexRatings(ratings: readonly Rating[]): RatingMatrix {
  const readerIndex = new Map<string, number>();
  const commentIndex = new Map<string, number>();
  const readerIds: string[] = [];
  const commentIds: string[] = [];
  const n = ratings.length;
  const reader = new Int32Array(n);
  const comment = new Int32Array(n);
  const value = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const r = ratings[k];
    let u = readerIndex.get(r.readerId);
    if (u === undefined) {
      u = readerIds.length;
      readerIndex.set(r.readerId, u);
      readerIds.push(r.readerId);
    }
    let c = commentIndex.get(r.commentId);
    if (c === undefined) {
      c = commentIds.length;
      commentIndex.set(r.commentId, c);
      commentIds.push(r.commentId);
    }
    reader[k] = u;
    comment[k] = c;
    value[k] = r.value;
  }
  return { readerIds, commentIds, reader, comment, value };
}

/** Ratings per reader. */
export function readerCounts(m: RatingMatrix): Int32Array {
  const counts = new Int32Array(m.readerIds.length);
  for (let k = 0; k < m.reader.length; k++) counts[m.reader[k]]++;
  return counts;
}

/** The same matrix without the ratings of the readers for which `drop` is 1 (ids keep their indices). */
export function withoutReaders(m: RatingMatrix, drop: Uint8Array): RatingMatrix {
  let n = 0;
  for (let k = 0; k < m.reader.length; k++) if (!drop[m.reader[k]]) n++;
  const reader = new Int32Array(n);
  const comment = new Int32Array(n);
  const value = new Float32Array(n);
  let j = 0;
  for (let k = 0; k < m.reader.length; k++) {
    if (drop[m.reader[k]]) continue;
    reader[j] = m.reader[k];
    comment[j] = m.comment[k];
    value[j] = m.value[k];
    j++;
  }
  return { readerIds: m.readerIds, commentIds: m.commentIds, reader, comment, value };
}
