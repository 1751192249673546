/**
 * Rater weights: history and sock puppets. A reader's ratings weigh in only with history, and
 * accounts whose ratings are near-identical to each other's count together as one reader.
 * Candidates (readers who rated nearly the same comments) come from MinHash with banded
 * locality-sensitive hashing, so the cost stays linear in the number of ratings; a pair is a
 * ring when the comment sets overlap almost entirely and the verdicts agree almost always.
 */
import { readerCounts, type RatingMatrix } from "./matrix.js";

export interface WeightOptions {
  /** Readers with fewer ratings weigh nothing (they are not counted by the fit either). */
  minReaderRatings: number;
  /** Weight grows linearly from minReaderRatings / fullWeightAt to 1 at this many ratings. */
  fullWeightAt: number;
  /** Jaccard similarity of two readers' sets of rated comments from which they may be one ring… */
  puppetOverlap: number;
  /** …when they also give the same verdict on at least this share of the comments both rated… */
  puppetAgreement: number;
  /** …and both rated at least this many comments. */
  puppetMinShared: number;
  hashes: number;
  rowsPerBand: number;
}

export const DEFAULT_WEIGHT_OPTIONS: WeightOptions = {
  minReaderRatings: 10,
  fullWeightAt: 10,
  puppetOverlap: 0.8,
  puppetAgreement: 0.98,
  puppetMinShared: 15,
  hashes: 24,
  rowsPerBand: 3,
};

export interface ReaderWeights {
  /** Per reader index of the matrix. */
  weight: Float64Array;
  /** Ring id per reader index (the index of one member), −1 when the reader is not in a ring. */
  ring: Int32Array;
  rings: number;
  readersInRings: number;
}

export function readerWeights(m: RatingMatrix, options: Partial<WeightOptions> = {}): ReaderWeights {
  const o = { ...DEFAULT_WEIGHT_OPTIONS, ...options };
  const counts = readerCounts(m);
  const n = m.readerIds.length;
  const weight = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    if (counts[u] >= o.minReaderRatings) weight[u] = Math.min(1, counts[u] / Math.max(1, o.fullWeightAt));
  }
  const root = findRings(m, counts, o);
  const size = new Int32Array(n);
  for (let u = 0; u < n; u++) if (weight[u] > 0) size[root[u]]++;
  const ring = new Int32Array(n).fill(-1);
  let rings = 0;
  let readersInRings = 0;
  for (let u = 0; u < n; u++) {
    const s = size[root[u]];
    if (weight[u] === 0 || s < 2) continue;
    weight[u] /= s;
    ring[u] = root[u];
    readersInRings++;
    if (root[u] === u) rings++;
  }
  return { weight, ring, rings, readersInRings };
}

/** Union-find roots: readers in one ring share a root. */
function findRings(m: RatingMatrix, counts: Int32Array, o: WeightOptions): Int32Array {
  const n = m.readerIds.length;
  const offsets = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) offsets[u + 1] = offsets[u] + counts[u];
  const tokens = new Int32Array(m.reader.length);
  const fill = offsets.slice(0, n);
  // Comment index × 2 + verdict, so sorting groups by comment and the verdict rides along.
  for (let k = 0; k < m.reader.length; k++)
    tokens[fill[m.reader[k]]++] = m.comment[k] * 2 + (m.value[k] >= 0.5 ? 1 : 0);
  for (let u = 0; u < n; u++) tokens.subarray(offsets[u], offsets[u + 1]).sort();

  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const eligible: number[] = [];
  for (let u = 0; u < n; u++) if (counts[u] >= Math.max(o.minReaderRatings, o.puppetMinShared)) eligible.push(u);
  const signatures = new Uint32Array(eligible.length * o.hashes);
  for (let e = 0; e < eligible.length; e++) {
    const u = eligible[e];
    for (let h = 0; h < o.hashes; h++) {
      let min = 0xffffffff;
      for (let t = offsets[u]; t < offsets[u + 1]; t++) {
        const v = mix(tokens[t] >> 1, h);
        if (v < min) min = v;
      }
      signatures[e * o.hashes + h] = min;
    }
  }
  const bands = Math.floor(o.hashes / o.rowsPerBand);
  const similar = (a: number, b: number): boolean => {
    let i = offsets[a];
    let j = offsets[b];
    let shared = 0;
    let agreed = 0;
    while (i < offsets[a + 1] && j < offsets[b + 1]) {
      const x = tokens[i] >> 1;
      const y = tokens[j] >> 1;
      if (x === y) {
        shared++;
        if (tokens[i] === tokens[j]) agreed++;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    const union = counts[a] + counts[b] - shared;
    return shared >= o.puppetMinShared && shared >= o.puppetOverlap * union && agreed >= o.puppetAgreement * shared;
  };
  for (let band = 0; band < bands; band++) {
    const buckets = new Map<number, number[]>();
    for (let e = 0; e < eligible.length; e++) {
      let key = band * 0x9e3779b1;
      for (let r = 0; r < o.rowsPerBand; r++) key = mix(key ^ signatures[e * o.hashes + band * o.rowsPerBand + r], 97);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(eligible[e]);
      else buckets.set(key, [eligible[e]]);
    }
    for (const bucket of buckets.values()) {
      // Comparing each member with a few predecessors keeps a 500-account ring linear, not quadratic.
      for (let i = 1; i < bucket.length; i++) {
        for (let j = i - 1; j >= Math.max(0, i - 8); j--) {
          const a = bucket[i];
          const b = bucket[j];
          if (find(a) !== find(b) && similar(a, b)) parent[find(a)] = find(b);
        }
      }
    }
  }
  const root = new Int32Array(n);
  for (let u = 0; u < n; u++) root[u] = find(u);
  return root;
}

/** A 32-bit hash of x under hash function number h. */
function mix(x: number, h: number): number {
  let z = (x ^ Math.imul(h + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
