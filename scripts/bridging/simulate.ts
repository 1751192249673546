/**
 * A seeded simulated site for the evaluation: readers with a viewpoint drawn from a polarised
 * mixture, a leniency and Zipf-distributed activity; comments on stories with a true quality and
 * a slant; exposure biased toward each reader's own side; ratings drawn from quality, leniency
 * and partisanship; likes that follow agreement more than quality; and a brigade of coordinated
 * accounts promoting low-quality comments of their side.
 */
import type { RatingMatrix } from "../../src/bridging/matrix.js";
import { seededRandom, type Random } from "../../src/bridging/random.js";

export interface BrigadeOptions {
  accounts: number;
  /** +1 = the majority side, −1 = the minority side. */
  side: 1 | -1;
  /** Low-quality comments of the brigade's side it promotes. */
  targets: number;
  /** Share of the script (promote targets, run down the best comments of the other side nearby) each account carries out. */
  coordination: number;
  /** Extra ratings each account gives at random, as a partisan of its side, to look like a reader. */
  camouflage: number;
}

export interface SimulationOptions {
  seed: number;
  readers: number;
  comments: number;
  stories: number;
  /** Share of readers (and comment authors) on the majority (+1) side. */
  majorityShare: number;
  /** Spread of viewpoints around ±1. */
  viewpointSpread: number;
  leniencySpread: number;
  /** Zipf exponent of reader activity. */
  activityExponent: number;
  /** Stories' popularity: Zipf exponent. */
  storyExponent: number;
  /** Exposures across all honest readers; each exposure leads to a rating with `rateShare`. */
  exposures: number;
  rateShare: number;
  /** Ratings of the busiest reader are capped here. */
  maxReaderExposures: number;
  /** Exposure weight exp(bias · viewpoint · slant). */
  exposureBias: number;
  /** Logit of helpful: quality · (q − ½) + leniency + partisanship · viewpoint · slant. */
  quality: number;
  partisanship: number;
  /** Logit of a like: likeQuality · (q − ½) + likePartisanship · viewpoint · slant + likeOffset. */
  likeQuality: number;
  likePartisanship: number;
  likeOffset: number;
  brigade: BrigadeOptions | null;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  seed: 42,
  readers: 5000,
  comments: 20000,
  stories: 200,
  majorityShare: 0.6,
  viewpointSpread: 0.35,
  leniencySpread: 0.6,
  activityExponent: 1,
  storyExponent: 0.6,
  exposures: 800_000,
  rateShare: 0.5,
  maxReaderExposures: 4000,
  exposureBias: 1.2,
  quality: 5,
  partisanship: 1.6,
  likeQuality: 2,
  likePartisanship: 3,
  likeOffset: -1,
  brigade: { accounts: 200, side: -1, targets: 40, coordination: 0.8, camouflage: 15 },
};

export interface SimulatedSite {
  options: SimulationOptions;
  /** Honest readers first, then brigade accounts. */
  viewpoint: Float64Array;
  /** Each reader's leniency, in logit (brigade accounts: 0). */
  leniency: Float64Array;
  brigadeAccount: Uint8Array;
  story: Int32Array;
  quality: Float64Array;
  slant: Float64Array;
  brigadeTarget: Uint8Array;
  likes: Int32Array;
  /** Reader and comment indices equal the simulator's; ids are `r<i>` and `c<j>`. */
  ratings: RatingMatrix;
}

export function simulate(partial: Partial<SimulationOptions> = {}): SimulatedSite {
  const o = { ...DEFAULT_SIMULATION, ...partial };
  const random = seededRandom(o.seed);
  const brigadeSize = o.brigade?.accounts ?? 0;
  const nReaders = o.readers + brigadeSize;
  const viewpoint = new Float64Array(nReaders);
  const leniency = new Float64Array(nReaders);
  const brigadeAccount = new Uint8Array(nReaders);
  for (let u = 0; u < o.readers; u++) {
    const side = random.next() < o.majorityShare ? 1 : -1;
    viewpoint[u] = side + o.viewpointSpread * random.normal();
    leniency[u] = o.leniencySpread * random.normal();
  }
  const story = new Int32Array(o.comments);
  const quality = new Float64Array(o.comments);
  const slant = new Float64Array(o.comments);
  for (let c = 0; c < o.comments; c++) {
    story[c] = c % o.stories;
    quality[c] = random.next();
    const side = random.next() < o.majorityShare ? 1 : -1;
    // A fifth of comments take no side; the rest lean, some hard.
    slant[c] = random.next() < 0.2 ? 0.4 * (random.next() - 0.5) : side * (0.2 + 0.8 * random.next());
  }
  const byStory: number[][] = Array.from({ length: o.stories }, () => []);
  for (let c = 0; c < o.comments; c++) byStory[story[c]].push(c);
  const storyPick = cumulative(Array.from({ length: o.stories }, (_, s) => 1 / Math.pow(s + 1, o.storyExponent)));
  const activity = zipfActivity(o.readers, o.activityExponent, random);

  const reader: number[] = [];
  const comment: number[] = [];
  const value: number[] = [];
  const likes = new Int32Array(o.comments);
  const seen = new Set<number>();
  for (let u = 0; u < o.readers; u++) {
    const n = Math.min(o.maxReaderExposures, poisson(o.exposures * activity[u], random));
    seen.clear();
    for (let e = 0; e < n; e++) {
      const s = pick(storyPick, random.next());
      const c = exposedComment(byStory[s], viewpoint[u], slant, o.exposureBias, random);
      if (seen.has(c)) continue;
      seen.add(c);
      const agreement = viewpoint[u] * slant[c];
      if (random.next() < sigmoid(o.likeQuality * (quality[c] - 0.5) + o.likePartisanship * agreement + o.likeOffset))
        likes[c]++;
      if (random.next() >= o.rateShare) continue;
      const helpful = sigmoid(o.quality * (quality[c] - 0.5) + leniency[u] + o.partisanship * agreement);
      reader.push(u);
      comment.push(c);
      value.push(random.next() < helpful ? 1 : 0);
    }
  }
  const brigadeTarget = new Uint8Array(o.comments);
  if (o.brigade)
    runBrigade(o, o.brigade, random, {
      viewpoint,
      brigadeAccount,
      quality,
      slant,
      byStory,
      brigadeTarget,
      likes,
      reader,
      comment,
      value,
    });
  return {
    options: o,
    viewpoint,
    leniency,
    brigadeAccount,
    story,
    quality,
    slant,
    brigadeTarget,
    likes,
    ratings: {
      readerIds: Array.from({ length: nReaders }, (_, u) => `r${u}`),
      commentIds: Array.from({ length: o.comments }, (_, c) => `c${c}`),
      reader: Int32Array.from(reader),
      comment: Int32Array.from(comment),
      value: Float32Array.from(value),
    },
  };
}

interface SiteParts {
  viewpoint: Float64Array;
  brigadeAccount: Uint8Array;
  quality: Float64Array;
  slant: Float64Array;
  byStory: number[][];
  brigadeTarget: Uint8Array;
  likes: Int32Array;
  reader: number[];
  comment: number[];
  value: number[];
}

/** The brigade's script: helpful on its targets, not helpful on the best comments of the other side in the same stories. */
function runBrigade(o: SimulationOptions, b: BrigadeOptions, random: Random, p: SiteParts): void {
  const promote: number[] = [];
  const demote: number[] = [];
  const stories = shuffled(p.byStory.length, random);
  for (const s of stories) {
    if (promote.length >= b.targets) break;
    const own = p.byStory[s].filter((c) => p.quality[c] < 0.3 && p.slant[c] * b.side >= 0.2);
    if (own.length < 2) continue;
    for (const c of own.slice(0, 2)) {
      promote.push(c);
      p.brigadeTarget[c] = 1;
    }
    const other = p.byStory[s].filter((c) => p.slant[c] * b.side < -0.2).sort((x, y) => p.quality[y] - p.quality[x]);
    demote.push(...other.slice(0, 3));
  }
  const nComments = p.quality.length;
  for (let a = 0; a < b.accounts; a++) {
    const u = o.readers + a;
    p.brigadeAccount[u] = 1;
    p.viewpoint[u] = b.side;
    const rated = new Set<number>();
    const add = (c: number, v: number) => {
      if (rated.has(c)) return;
      rated.add(c);
      p.reader.push(u);
      p.comment.push(c);
      p.value.push(v);
    };
    for (const c of promote) {
      if (random.next() >= b.coordination) continue;
      add(c, 1);
      p.likes[c]++;
    }
    for (const c of demote) if (random.next() < b.coordination) add(c, 0);
    for (let k = 0; k < b.camouflage; k++) {
      const c = random.int(nComments);
      add(c, p.slant[c] * b.side > 0 ? 1 : 0);
    }
  }
}

function exposedComment(
  comments: number[],
  viewpoint: number,
  slant: Float64Array,
  bias: number,
  random: Random,
): number {
  const top = bias * Math.abs(viewpoint);
  for (;;) {
    const c = comments[random.int(comments.length)];
    if (random.next() < Math.exp(bias * viewpoint * slant[c] - top)) return c;
  }
}

/** Activity shares (sum 1) following Zipf's law over a random order of readers. */
function zipfActivity(n: number, exponent: number, random: Random): Float64Array {
  const order = shuffled(n, random);
  const share = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) total += 1 / Math.pow(rank + 1, exponent);
  for (let rank = 0; rank < n; rank++) share[order[rank]] = 1 / Math.pow(rank + 1, exponent) / total;
  return share;
}

function shuffled(n: number, random: Random): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

export function poisson(mean: number, random: Random): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k++;
    p *= random.next();
  }
  return k;
}

function cumulative(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) out[i] = total += weights[i];
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}

function pick(cdf: Float64Array, x: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
