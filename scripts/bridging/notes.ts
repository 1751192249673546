/**
 * The notes scenario of `npm run eval:bridging` (issue 20 item 4): reader context notes on a
 * simulated site whose readers are polarised. Accurate notes (high quality, little slant) and
 * partisan notes (one side's talking point) are rated by readers who find them the way they find
 * comments (more often their own side's), on the same scale as Community Notes (helpful 1,
 * somewhat helpful ½, not helpful 0); a brigade of new accounts rates its side's partisan notes
 * helpful. The model decides with the production rule (`src/bridging/notes.ts`) on one refit of
 * comments and notes together; the baselines show their top K notes, K = the model's count.
 */
import type { RatingMatrix } from "../../src/bridging/matrix.js";
import { noteKey, noteRatingsFromEstablishedReaders, scoreNotes } from "../../src/bridging/notes.js";
import { seededRandom } from "../../src/bridging/random.js";
import { scoreSite } from "../../src/bridging/scoring.js";
import { groupInformedConsensus } from "./baselines.js";
import { type SimulatedSite, poisson } from "./simulate.js";

export interface NoteBrigade {
  accounts: number;
  /** +1 = the majority side, −1 = the minority side. */
  side: 1 | -1;
  /** Partisan notes of its side the brigade promotes. */
  targets: number;
  /** Share of the targets each account rates helpful. */
  coordination: number;
  /** Partisan ratings of random comments each account gives to build a history. */
  camouflage: number;
}

export interface NoteScenarioOptions {
  seed: number;
  accurate: number;
  partisan: number;
  /** Raters per note: minRaters + Poisson(extraRaters). */
  minRaters: number;
  extraRaters: number;
  /** Share of ratings that come out "somewhat helpful" whatever the reader thinks. */
  somewhatShare: number;
  brigade: NoteBrigade | null;
}

export const DEFAULT_NOTE_SCENARIO: NoteScenarioOptions = {
  seed: 42,
  accurate: 150,
  partisan: 150,
  minRaters: 10,
  extraRaters: 30,
  somewhatShare: 0.2,
  brigade: null,
};

export interface NoteRow {
  method: string;
  shown: number;
  accurateShown: number;
  partisanShown: number;
  brigadeSuccess: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Adds the notes and their ratings to a simulated site; returns the combined matrix and what each note is. */
export function simulateNotes(site: SimulatedSite, partial: Partial<NoteScenarioOptions> = {}) {
  const o = { ...DEFAULT_NOTE_SCENARIO, ...partial };
  const random = seededRandom(o.seed * 7919 + 13);
  const sim = site.options;
  const honest = sim.readers;
  // Raters are readers with a history (the site lets readers with published comments rate notes).
  const counts = new Int32Array(site.viewpoint.length);
  for (const u of site.ratings.reader) counts[u]++;
  const eligible = [...Array(honest).keys()].filter((u) => counts[u] >= 10 && !site.brigadeAccount[u]);

  const n = o.accurate + o.partisan;
  const quality = new Float64Array(n);
  const slant = new Float64Array(n);
  const partisan = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    if (j < o.accurate) {
      quality[j] = 0.8 + 0.2 * random.next();
      slant[j] = 0.6 * (random.next() - 0.5);
    } else {
      partisan[j] = 1;
      quality[j] = 0.2 + 0.4 * random.next();
      slant[j] = (random.next() < sim.majorityShare ? 1 : -1) * (0.6 + 0.4 * random.next());
    }
  }
  const readerIds = [...site.ratings.readerIds];
  const commentIds = [...site.ratings.commentIds];
  const noteIndex = commentIds.length;
  for (let j = 0; j < n; j++) commentIds.push(noteKey(`n${j}`));
  const reader = Array.from(site.ratings.reader);
  const comment = Array.from(site.ratings.comment);
  const value = Array.from(site.ratings.value);
  const add = (u: number, c: number, v: number) => {
    reader.push(u);
    comment.push(c);
    value.push(v);
  };

  for (let j = 0; j < n; j++) {
    const raters = o.minRaters + poisson(o.extraRaters, random);
    const seen = new Set<number>();
    for (let tries = 0; seen.size < raters && tries < raters * 50; tries++) {
      const u = eligible[random.int(eligible.length)];
      if (seen.has(u)) continue;
      const v = site.viewpoint[u];
      // Found more often by the side it favours, as comments are.
      if (random.next() >= Math.exp(sim.exposureBias * (v * slant[j] - Math.abs(v)))) continue;
      seen.add(u);
      const helpful = sigmoid(sim.quality * (quality[j] - 0.5) + site.leniency[u] + sim.partisanship * v * slant[j]);
      const rating = random.next() < o.somewhatShare ? 0.5 : random.next() < helpful ? 1 : 0;
      add(u, noteIndex + j, rating);
    }
  }

  const target = new Uint8Array(n);
  if (o.brigade) {
    const b = o.brigade;
    const own = [...Array(n).keys()].filter((j) => partisan[j] && slant[j] * b.side > 0).slice(0, b.targets);
    for (const j of own) target[j] = 1;
    for (let a = 0; a < b.accounts; a++) {
      const u = readerIds.length;
      readerIds.push(`brigade${a}`);
      const rated = new Set<number>();
      for (let k = 0; k < b.camouflage; k++) {
        const c = random.int(site.ratings.commentIds.length);
        if (rated.has(c)) continue;
        rated.add(c);
        add(u, c, site.slant[c] * b.side > 0 ? 1 : 0);
      }
      for (const j of own) if (random.next() < b.coordination) add(u, noteIndex + j, 1);
    }
  }
  // The production rule: note ratings count only from readers with a history of comment ratings.
  const commentRatings: Array<{ readerId: string }> = [];
  const noteRatings: Array<{ readerId: string; k: number }> = [];
  for (let k = 0; k < reader.length; k++) {
    if (comment[k] >= noteIndex) noteRatings.push({ readerId: readerIds[reader[k]], k });
    else commentRatings.push({ readerId: readerIds[reader[k]] });
  }
  const kept = new Set(noteRatingsFromEstablishedReaders(commentRatings, noteRatings).map((r) => r.k));
  const keep = (k: number) => comment[k] < noteIndex || kept.has(k);
  const matrix: RatingMatrix = {
    readerIds,
    commentIds,
    reader: Int32Array.from(reader.filter((_, k) => keep(k))),
    comment: Int32Array.from(comment.filter((_, k) => keep(k))),
    value: Float32Array.from(value.filter((_, k) => keep(k))),
  };
  return { options: o, matrix, noteIndex, quality, slant, partisan, target };
}

/**
 * The model and the baselines on one notes scenario. With a brigade, its success is the share of
 * its targets shown that the same method did not show without the brigade (the honest readers'
 * ratings are the same in both runs: the brigade's are drawn after them).
 */
export function evaluateNotes(site: SimulatedSite, partial: Partial<NoteScenarioOptions> = {}): NoteRow[] {
  const shownBy = decide(site, partial);
  const without = partial.brigade ? withoutBrigade(site, partial) : null;
  const s = shownBy.scenario;
  const n = s.partisan.length;
  const accurate = n - s.partisan.reduce((a, b) => a + b, 0);
  const partisanCount = n - accurate;
  const targets = s.target.reduce((a, b) => a + b, 0);
  return shownBy.methods.map(([method, shown], i) => {
    let a = 0;
    let p = 0;
    let t = 0;
    for (const j of shown) {
      if (s.partisan[j]) p++;
      else a++;
      if (s.target[j] && !without?.methods[i][1].has(j)) t++;
    }
    return {
      method,
      shown: shown.size,
      accurateShown: a / accurate,
      partisanShown: p / partisanCount,
      brigadeSuccess: targets > 0 ? t / targets : 0,
    };
  });
}

const unbrigaded = new WeakMap<SimulatedSite, Map<number, ReturnType<typeof decide>>>();
function withoutBrigade(site: SimulatedSite, partial: Partial<NoteScenarioOptions>) {
  const seed = partial.seed ?? DEFAULT_NOTE_SCENARIO.seed;
  const bySeed = unbrigaded.get(site) ?? new Map<number, ReturnType<typeof decide>>();
  unbrigaded.set(site, bySeed);
  const hit = bySeed.get(seed);
  if (hit) return hit;
  const result = decide(site, { ...partial, brigade: null });
  bySeed.set(seed, result);
  return result;
}

/** Which notes each method shows. */
function decide(site: SimulatedSite, partial: Partial<NoteScenarioOptions>) {
  const s = simulateNotes(site, partial);
  const n = s.partisan.length;
  // The baselines get the same ratings as the model, after the same eligibility rule.
  const m = s.matrix;
  const fitted = scoreSite({ ratings: m });
  const statuses = scoreNotes(fitted, new Set());
  const modelShown = new Set<number>();
  for (let j = 0; j < n; j++) if (statuses.get(`n${j}`)?.status === "helpful") modelShown.add(j);

  const helpfulCount = new Float64Array(n);
  const sum = new Float64Array(n);
  const total = new Float64Array(n);
  for (let k = 0; k < m.reader.length; k++) {
    const j = m.comment[k] - s.noteIndex;
    if (j < 0) continue;
    total[j]++;
    sum[j] += m.value[k];
    if (m.value[k] === 1) helpfulCount[j]++;
  }
  const consensus = groupInformedConsensus(m).scores.subarray(s.noteIndex);
  const k = modelShown.size;
  const top = (score: ArrayLike<number>) =>
    new Set(
      [...Array(n).keys()]
        .filter((j) => !Number.isNaN(score[j]))
        .sort((a, b) => score[b] - score[a])
        .slice(0, k),
    );
  const methods: Array<[string, Set<number>]> = [
    ["bridging model (Community Notes rule)", modelShown],
    ["likes (helpful count)", top(helpfulCount)],
    ["mean rating", top(Float64Array.from(sum, (x, j) => (total[j] >= 5 ? x / total[j] : Number.NaN)))],
    ["Polis group consensus", top(consensus)],
  ];
  return { scenario: s, methods };
}
