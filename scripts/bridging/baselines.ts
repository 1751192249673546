/**
 * The rankings the model is measured against. Each returns one score per comment index of the
 * matrix (NaN where it has nothing to say, which ranks last).
 */
import { readerCounts, type RatingMatrix } from "../../src/bridging/matrix.js";
import { seededRandom } from "../../src/bridging/random.js";

/** Like counts, as a "top" sort would use them. */
export const likeScores = (likes: Int32Array): Float64Array => Float64Array.from(likes);

/** Share of helpful ratings. */
export function meanHelpful(m: RatingMatrix): Float64Array {
  const { helpful, total } = tally(m);
  return Float64Array.from(total, (n, c) => (n > 0 ? helpful[c] / n : Number.NaN));
}

/** Lower bound of the Wilson score interval of the helpful share (z = 1.96). */
export function wilsonLowerBound(m: RatingMatrix, z = 1.96): Float64Array {
  const { helpful, total } = tally(m);
  return Float64Array.from(total, (n, c) => {
    if (n === 0) return Number.NaN;
    const p = helpful[c] / n;
    const z2 = z * z;
    return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
  });
}

/**
 * Polis's group-informed consensus: readers are clustered into opinion groups by k-means on
 * their rows of the rating matrix (+1 helpful, −1 not, 0 unrated, rows scaled to unit length),
 * and a comment scores the product over groups of its Laplace-smoothed helpful share.
 */
export function groupInformedConsensus(
  m: RatingMatrix,
  options: { groups?: number; minReaderRatings?: number; iterations?: number; seed?: number } = {},
): { scores: Float64Array; group: Int32Array } {
  const groups = options.groups ?? 2;
  const group = kMeansReaders(m, groups, options.minReaderRatings ?? 10, options.iterations ?? 25, options.seed ?? 1);
  const nComments = m.commentIds.length;
  const helpful = new Float64Array(nComments * groups);
  const total = new Float64Array(nComments * groups);
  const anyRating = new Uint8Array(nComments);
  for (let k = 0; k < m.reader.length; k++) {
    const g = group[m.reader[k]];
    if (g < 0) continue;
    const c = m.comment[k];
    total[c * groups + g]++;
    helpful[c * groups + g] += m.value[k];
    anyRating[c] = 1;
  }
  const scores = new Float64Array(nComments);
  for (let c = 0; c < nComments; c++) {
    if (!anyRating[c]) {
      scores[c] = Number.NaN;
      continue;
    }
    let product = 1;
    for (let g = 0; g < groups; g++) product *= (helpful[c * groups + g] + 1) / (total[c * groups + g] + 2);
    scores[c] = product;
  }
  return { scores, group };
}

/** Group per reader index, −1 for readers with too few ratings to place. */
export function kMeansReaders(
  m: RatingMatrix,
  k: number,
  minRatings: number,
  iterations: number,
  seed: number,
): Int32Array {
  const counts = readerCounts(m);
  const n = m.readerIds.length;
  const d = m.commentIds.length;
  const group = new Int32Array(n).fill(-1);
  const members: number[] = [];
  for (let u = 0; u < n; u++) if (counts[u] >= minRatings) members.push(u);
  if (members.length < k) return group;
  // Rows grouped by reader, entries ±1/√count so every row has unit length.
  const offsets = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) offsets[u + 1] = offsets[u] + counts[u];
  const col = new Int32Array(m.reader.length);
  const val = new Float32Array(m.reader.length);
  const fill = offsets.slice(0, n);
  for (let r = 0; r < m.reader.length; r++) {
    const u = m.reader[r];
    col[fill[u]] = m.comment[r];
    val[fill[u]++] = (m.value[r] >= 0.5 ? 1 : -1) / Math.sqrt(counts[u]);
  }
  const centroids = new Float64Array(k * d);
  const norms = new Float64Array(k);
  const dot = (u: number, g: number): number => {
    let s = 0;
    for (let t = offsets[u]; t < offsets[u + 1]; t++) s += val[t] * centroids[g * d + col[t]];
    return s;
  };
  // k-means++ seeding from a seeded generator.
  const random = seededRandom(seed);
  const first = members[random.int(members.length)];
  for (let t = offsets[first]; t < offsets[first + 1]; t++) centroids[col[t]] = val[t];
  norms[0] = 1;
  for (let g = 1; g < k; g++) {
    const distance = members.map((u) => {
      let best = Infinity;
      for (let h = 0; h < g; h++) best = Math.min(best, 1 - 2 * dot(u, h) + norms[h]);
      return Math.max(0, best);
    });
    let x = random.next() * distance.reduce((a, b) => a + b, 0);
    let chosen = members[members.length - 1];
    for (let i = 0; i < members.length; i++) {
      x -= distance[i];
      if (x <= 0) {
        chosen = members[i];
        break;
      }
    }
    for (let t = offsets[chosen]; t < offsets[chosen + 1]; t++) centroids[g * d + col[t]] = val[t];
    norms[g] = 1;
  }
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (const u of members) {
      let best = -1;
      let bestDistance = Infinity;
      for (let g = 0; g < k; g++) {
        const dist = 1 - 2 * dot(u, g) + norms[g];
        if (dist < bestDistance) {
          bestDistance = dist;
          best = g;
        }
      }
      if (group[u] !== best) changed++;
      group[u] = best;
    }
    centroids.fill(0);
    const size = new Int32Array(k);
    for (const u of members) {
      const g = group[u];
      size[g]++;
      for (let t = offsets[u]; t < offsets[u + 1]; t++) centroids[g * d + col[t]] += val[t];
    }
    for (let g = 0; g < k; g++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = size[g] > 0 ? centroids[g * d + j] / size[g] : 0;
        centroids[g * d + j] = v;
        s += v * v;
      }
      norms[g] = s;
    }
    if (changed === 0) break;
  }
  return group;
}

function tally(m: RatingMatrix): { helpful: Float64Array; total: Int32Array } {
  const helpful = new Float64Array(m.commentIds.length);
  const total = new Int32Array(m.commentIds.length);
  for (let k = 0; k < m.reader.length; k++) {
    helpful[m.comment[k]] += m.value[k];
    total[m.comment[k]]++;
  }
  return { helpful, total };
}
