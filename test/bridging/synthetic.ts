/** Small synthetic sites for the unit tests. */
import { seededRandom } from "../../src/bridging/random.js";
import type { Rating } from "../../src/bridging/types.js";

/**
 * Camp A (readers a0…) and camp B (b0…), each rating `partisan` comments per camp: helpful with
 * probability 0.9 from their own camp and 0.1 from the other.
 */
export function campRatings(options: { a: number; b: number; partisan: number; seed: number }): Rating[] {
  const random = seededRandom(options.seed);
  const readers = [
    ...Array.from({ length: options.a }, (_, i) => ({ id: `a${i}`, camp: "A" })),
    ...Array.from({ length: options.b }, (_, i) => ({ id: `b${i}`, camp: "B" })),
  ];
  const ratings: Rating[] = [];
  for (const camp of ["A", "B"]) {
    for (let j = 0; j < options.partisan; j++) {
      for (const r of readers) {
        const p = r.camp === camp ? 0.9 : 0.1;
        ratings.push({ readerId: r.id, commentId: `${camp}${j}`, value: random.next() < p ? 1 : 0 });
      }
    }
  }
  return ratings;
}

/** Ratings of one comment by the listed readers, helpful with probability p. */
export function rate(commentId: string, readerIds: string[], p: number, seed: number): Rating[] {
  const random = seededRandom(seed);
  return readerIds.map((readerId) => ({ readerId, commentId, value: random.next() < p ? 1 : 0 }));
}

export const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
