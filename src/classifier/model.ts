/**
 * The trained linear model: one logistic regression per category over the shared hashed
 * feature space. Weights are stored as one byte each, interleaved by bucket so that the
 * six weights of a feature sit in one cache line, and decoded through a 256-entry table
 * per category (companded: finer steps near zero, where most weights are).
 */
import { BUCKETS, FeatureExtractor, type Features } from "./features.js";
import { FastPath, type FastFeatures, bigramBucket } from "./fast.js";
import { groupHostility } from "./group-hostility.js";
import { SCORE_CATEGORIES, type ScoreCategory, type ScoreResult, type ScoreSpan } from "./types.js";

export const CATEGORY_COUNT = SCORE_CATEGORIES.length;
/**
 * Spam is scored on the whole comment, not per sentence: its signals (links, "check out",
 * "subscribe") spread over the text. Its logit is the bias plus the sentence sums over √S.
 */
export const SPAM = SCORE_CATEGORIES.indexOf("spam");
const TOXICITY = SCORE_CATEGORIES.indexOf("toxicity");

export interface ModelHeader {
  name: string;
  version: string;
  hashBits: number;
  categories: ScoreCategory[];
  /** Largest absolute weight per category; code q decodes to sign(q)·(|q|/127)²·scale. */
  scales: number[];
  biases: number[];
  thresholds: Record<ScoreCategory, number>;
  /**
   * Platt scaling per category, [a, b]: the probability is sigmoid(a·logit + b), fitted on
   * the validation split so that a score reads as a probability. Absent: the raw sigmoid.
   */
  calibration?: Array<[number, number]>;
  /**
   * Context per category, [β, m]: with the calibrated logit u of the comment and u′ of what
   * it answers (the parent comment, else the story's title), the probability is
   * sigmoid(u + β·(u′ − m)); m is the typical context, so an ordinary one moves nothing.
   * Fitted on the validation split's threads.
   */
  context?: Array<[number, number]>;
  /**
   * Toxicity read from the whole comment as well as its worst sentence: its calibrated logit
   * is w·[highest sentence toxicity, mean sentence toxicity, highest insult, identity attack,
   * threat, profanity, ln(sentences + 1), 1] over the raw logits, a logistic regression fitted on the validation
   * split's comment sections on comments of two sentences or more (it replaces toxicity's Platt
   * scaling there). A comment of one sentence, or a model without it: Platt scaling.
   */
  toxicityStack?: number[];
  /** Where the hold lane starts per category (the thresholds above are where the nudge starts). */
  holdThresholds?: Record<ScoreCategory, number>;
  /**
   * Swearing in plain sight withholds a comment only at or above this toxicity (the default
   * suspect list's swear words, and the profanity score); chosen with the lanes on validation.
   */
  swearingToxicity?: number;
  training: Record<string, unknown>;
}

export function decodeTable(scales: number[]): Float32Array {
  const table = new Float32Array(CATEGORY_COUNT * 256);
  for (let c = 0; c < CATEGORY_COUNT; c++) {
    for (let b = 0; b < 256; b++) {
      const q = b < 128 ? b : b - 256;
      const m = Math.min(Math.abs(q), 127) / 127;
      table[c * 256 + b] = Math.sign(q) * m * m * scales[c];
    }
  }
  return table;
}

/** Inverse of decodeTable for one weight. */
export function encodeWeight(w: number, scale: number): number {
  if (scale === 0) return 0;
  const q = Math.round(Math.sqrt(Math.min(Math.abs(w) / scale, 1)) * 127);
  return w < 0 ? (256 - q) & 255 : q;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The inputs of the toxicity stack (see ModelHeader.toxicityStack), from raw logits. */
function stackInputs(z: ArrayLike<number>, meanToxicity: number, sentences: number): number[] {
  return [z[TOXICITY], meanToxicity, z[1], z[2], z[3], z[4], Math.log(sentences + 1)];
}

const SPACE_OR_PUNCTUATION = /^[\s\p{P}]*$/u;
/** Whether text[from, to) is only white space and punctuation (ASCII without a regex). */
function onlySpaceOrPunctuation(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c > 127) return SPACE_OR_PUNCTUATION.test(text.slice(from, to));
    if (!ASCII_SPACE_OR_PUNCTUATION[c]) return false;
  }
  return true;
}
const ASCII_SPACE_OR_PUNCTUATION = Uint8Array.from({ length: 128 }, (_, c) =>
  SPACE_OR_PUNCTUATION.test(String.fromCharCode(c)) ? 1 : 0,
);

export class LinearModel {
  readonly table: Float32Array;
  private readonly extractor = new FeatureExtractor();
  private readonly logits = new Float64Array(CATEGORY_COUNT);
  private readonly segLogits = new Float64Array(CATEGORY_COUNT);

  constructor(
    readonly header: ModelHeader,
    readonly weights: Uint8Array,
  ) {
    if (header.hashBits !== Math.log2(BUCKETS))
      throw new Error(`model hashBits ${header.hashBits} does not match the feature extractor`);
    if (weights.length !== BUCKETS * CATEGORY_COUNT)
      throw new Error(`weights file has ${weights.length} bytes, expected ${BUCKETS * CATEGORY_COUNT}`);
    this.table = decodeTable(header.scales);
    this.fast = new FastPath(weights, this.table);
  }

  private weight(bucket: number, c: number): number {
    return this.table[c * 256 + this.weights[bucket * CATEGORY_COUNT + c]];
  }

  /** Per category, the highest sentence logit (the bias alone for an empty text). */
  private computeLogits(f: Features): Float64Array {
    const z = this.logits;
    const seg = this.segLogits;
    const bias = this.header.biases;
    for (let c = 0; c < CATEGORY_COUNT; c++) z[c] = f.segments.length > 1 ? -Infinity : bias[c];
    const { idx, val, segments } = f;
    const w = this.weights;
    const t = this.table;
    let spamSum = 0;
    let toxSum = 0;
    for (let s = 0; s + 1 < segments.length; s++) {
      for (let c = 0; c < CATEGORY_COUNT; c++) seg[c] = bias[c];
      for (let i = segments[s]; i < segments[s + 1]; i++) {
        const base = idx[i] * CATEGORY_COUNT;
        const v = val[i];
        seg[0] += v * t[w[base]];
        seg[1] += v * t[256 + w[base + 1]];
        seg[2] += v * t[512 + w[base + 2]];
        seg[3] += v * t[768 + w[base + 3]];
        seg[4] += v * t[1024 + w[base + 4]];
        seg[5] += v * t[1280 + w[base + 5]];
      }
      for (let c = 0; c < CATEGORY_COUNT; c++) if (seg[c] > z[c]) z[c] = seg[c];
      spamSum += seg[SPAM] - bias[SPAM];
      toxSum += seg[TOXICITY];
    }
    z[SPAM] = bias[SPAM] + (segments.length > 1 ? spamSum / Math.sqrt(segments.length - 1) : 0);
    this.meanToxicity = segments.length > 1 ? toxSum / (segments.length - 1) : bias[TOXICITY];
    this.sentenceCount = Math.max(0, segments.length - 1);
    return z;
  }

  /** The logits from the explicit features training uses; the fast path must agree (tests). */
  explicitLogits(text: string): Float64Array {
    return Float64Array.from(this.computeLogits(this.extractor.extract(text)));
  }

  /** The calibrated probabilities from the explicit features (tests compare the fast path). */
  explicitProbabilities(text: string): number[] {
    const z = this.computeLogits(this.extractor.extract(text));
    return Array.from(this.calibrated(z, this.meanToxicity, this.sentenceCount), sigmoid);
  }

  private readonly fast: FastPath;

  /** Per category: the highest sentence logit, except spam, read over the whole comment. */
  private logitsOf(f: FastFeatures): Float64Array {
    const bias = this.header.biases;
    const z = this.logits;
    const n = f.sentences.length;
    for (let c = 0; c < CATEGORY_COUNT; c++) z[c] = n > 0 ? -Infinity : bias[c];
    let spam = 0;
    let tox = 0;
    for (const s of f.sentences) {
      for (let c = 0; c < CATEGORY_COUNT; c++) if (bias[c] + s.z[c] > z[c]) z[c] = bias[c] + s.z[c];
      spam += s.z[SPAM];
      tox += s.z[TOXICITY];
    }
    z[SPAM] = bias[SPAM] + (n > 0 ? spam / Math.sqrt(n) : 0);
    this.meanToxicity = bias[TOXICITY] + (n > 0 ? tox / n : 0);
    this.sentenceCount = n;
    return z;
  }

  /** The mean sentence toxicity logit of the text last read by logitsOf/computeLogits. */
  private meanToxicity = 0;
  /** The number of sentences of that text. */
  private sentenceCount = 0;

  /**
   * Calibrated logits from raw ones: Platt scaling per category, and for toxicity the
   * stack over the comment's sentences and the other categories when the model has one.
   */
  private calibrated(z: ArrayLike<number>, meanToxicity: number, sentences: number): Float64Array {
    const out = new Float64Array(CATEGORY_COUNT);
    for (let k = 0; k < CATEGORY_COUNT; k++) out[k] = this.calibratedLogit(k, z[k]);
    const w = this.header.toxicityStack;
    if (w && sentences >= 2) {
      const x = stackInputs(z, meanToxicity, sentences);
      let u = w[x.length];
      for (let j = 0; j < x.length; j++) u += w[j] * x[j];
      out[TOXICITY] = u;
    }
    return out;
  }

  /** The calibrated logits of a text (training fits the context and lanes on them). */
  calibratedLogits(text: string): Float64Array {
    const z = this.logitsOf(this.fast.features(text));
    return this.calibrated(z, this.meanToxicity, this.sentenceCount);
  }

  /** The toxicity stack's inputs for a text (training fits its weights on them). */
  stackInputs(text: string): number[] {
    const z = this.logitsOf(this.fast.features(text));
    return stackInputs(z, this.meanToxicity, this.sentenceCount);
  }

  /**
   * The score of each sentence the model read, with its character range: the parts a
   * Perspective client asks for with `spanAnnotations`.
   */
  /** The calibrated probability of category k for a logit. */
  probability(k: number, z: number): number {
    const cal = this.header.calibration?.[k];
    return cal ? sigmoid(cal[0] * z + cal[1]) : sigmoid(z);
  }

  /** The uncalibrated logits of a text (training fits the calibration on them). */
  rawLogits(text: string): Float64Array {
    return Float64Array.from(this.logitsOf(this.fast.features(text)));
  }

  sentences(text: string): Array<{ start: number; end: number; scores: Record<ScoreCategory, number> }> {
    const f = this.fast.features(text);
    const bias = this.header.biases;
    return f.sentences.map((s) => {
      const scores = {} as Record<ScoreCategory, number>;
      const z = Array.from(s.z, (v, k) => bias[k] + v);
      const u = this.calibrated(z, z[TOXICITY], 1);
      SCORE_CATEGORIES.forEach((c, k) => (scores[c] = sigmoid(u[k])));
      return { start: f.tokens[s.from].start, end: f.tokens[s.to - 1].end, scores };
    });
  }

  /** The calibrated logit of category k. */
  calibratedLogit(k: number, z: number): number {
    const cal = this.header.calibration?.[k];
    return cal ? cal[0] * z + cal[1] : z;
  }

  /**
   * Scores a comment, and with `context` (the parent comment, else the story's title) lets
   * what it answers move the score: an insult answered in kind reads differently from the
   * same words after a civil remark.
   */
  score(text: string, context?: string): ScoreResult {
    const contextLogits = context && this.header.context ? this.calibratedLogits(context) : null;
    const f = this.fast.features(text);
    const u = this.calibrated(this.logitsOf(f), this.meanToxicity, this.sentenceCount);
    const scores = {} as Record<ScoreCategory, number>;
    SCORE_CATEGORIES.forEach((c, k) => {
      const ctx = contextLogits ? this.header.context?.[k] : undefined;
      scores[c] =
        ctx && contextLogits && (ctx[0] !== 0 || ctx[1] !== 0)
          ? sigmoid(u[k] + ctx[0] * (contextLogits[k] - ctx[1]))
          : sigmoid(u[k]);
    });
    // The hand-written threat patterns ("a bullet in", "should be shot") are precise where
    // the learnt threat score is not (its labels are weak): a match holds.
    const holdThreat = this.header.holdThresholds?.threat;
    if (holdThreat !== undefined && f.patterns.some((p) => p.rule.category === "threat"))
      scores.threat = Math.max(scores.threat, holdThreat);
    // Hostility toward a group in plain words ("I can't stand gay people like you"), which
    // the learnt identity-attack score reads too weakly: a match holds (group-hostility.ts).
    const holdIdentity = this.header.holdThresholds?.identityAttack;
    if (holdIdentity !== undefined && groupHostility(text)) scores.identityAttack = Math.max(scores.identityAttack, holdIdentity);
    // Likewise spam phrasing that sends the reader to a link ("make $900 a day… go to <link>"):
    // the learnt spam score is kept low to spare long comments that cite their sources, so a
    // call to a link together with a second kind of spam phrasing holds on its own.
    const holdSpam = this.header.holdThresholds?.spam;
    const spamRules = new Set(f.patterns.filter((p) => p.rule.category === "spam").map((p) => p.rule.id));
    if (holdSpam !== undefined && spamRules.has("url-cta") && spamRules.size >= 2) scores.spam = Math.max(scores.spam, holdSpam);
    return {
      scores,
      spans: this.spans(f, scores, text),
      scorer: { name: this.header.name, version: this.header.version },
    };
  }

  /** Spans only for categories that come near their threshold: what a moderator would see. */
  private spans(f: FastFeatures, scores: Record<ScoreCategory, number>, text: string): ScoreSpan[] {
    const spans: ScoreSpan[] = [];
    const near = (c: ScoreCategory) => scores[c] >= Math.min(0.5, this.header.thresholds[c] * 0.8);
    for (const p of f.patterns)
      if (near(p.rule.category)) spans.push({ category: p.rule.category, start: p.start, end: p.end, weight: 1 });
    for (const m of f.lexicon) {
      const tok = f.tokens[m.token];
      if (near("profanity")) spans.push({ category: "profanity", start: tok.start, end: tok.end, weight: 1 });
      if (m.entry.slur && near("identityAttack"))
        spans.push({ category: "identityAttack", start: tok.start, end: tok.end, weight: 1 });
    }
    for (let k = 0; k < CATEGORY_COUNT; k++) {
      const category = SCORE_CATEGORIES[k];
      if (category === "profanity" || !near(category) || f.tokens.length === 0) continue;
      spans.push(...this.tokenSpans(f, k, category, text));
    }
    return spans.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /** Words whose features add most to category k's logit, merged when adjacent. */
  private tokenSpans(f: FastFeatures, k: number, category: ScoreCategory, text: string): ScoreSpan[] {
    const contrib = new Float64Array(f.tokens.length);
    for (const s of f.sentences) {
      for (let t = s.from; t < s.to; t++) {
        const w = f.words[t];
        contrib[t] += s.wordScale * w.uni[k] + s.charScale * w.chars[k];
        if (t > s.from) {
          const c = s.wordScale * this.weight(bigramBucket(f.words[t - 1].hash, w.hash), k);
          contrib[t - 1] += c / 2;
          contrib[t] += c / 2;
        }
      }
    }
    let max = 0;
    for (const c of contrib) max = Math.max(max, c);
    if (max <= 0.05) return [];
    const out: ScoreSpan[] = [];
    for (let t = 0; t < f.tokens.length; t++) {
      if (contrib[t] < max * 0.35) continue;
      const tok = f.tokens[t];
      const last = out[out.length - 1];
      if (last && last.end <= tok.start && onlySpaceOrPunctuation(text, last.end, tok.start)) {
        last.end = tok.end;
        last.weight = Math.max(last.weight, contrib[t] / max);
      } else out.push({ category, start: tok.start, end: tok.end, weight: contrib[t] / max });
    }
    for (const s of out) s.weight = Math.round(s.weight * 1000) / 1000;
    return out;
  }
}
