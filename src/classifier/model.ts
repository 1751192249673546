/**
 * The trained linear model: one logistic regression per category over the shared hashed
 * feature space. Weights are stored as one byte each, interleaved by bucket so that the
 * six weights of a feature sit in one cache line, and decoded through a 256-entry table
 * per category (companded: finer steps near zero, where most weights are).
 */
import { BUCKETS, FeatureExtractor, PAIR, type Features } from "./features.js";
import { SCORE_CATEGORIES, type ScoreCategory, type ScoreResult, type ScoreSpan } from "./types.js";

export const CATEGORY_COUNT = SCORE_CATEGORIES.length;

export interface ModelHeader {
  name: string;
  version: string;
  hashBits: number;
  categories: ScoreCategory[];
  /** Largest absolute weight per category; code q decodes to sign(q)·(|q|/127)²·scale. */
  scales: number[];
  biases: number[];
  thresholds: Record<ScoreCategory, number>;
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
    }
    return z;
  }

  /**
   * The score of each sentence the model read, with its character range: the parts a
   * Perspective client asks for with `spanAnnotations`.
   */
  sentences(text: string): Array<{ start: number; end: number; scores: Record<ScoreCategory, number> }> {
    const f = this.extractor.extract(text);
    const out: Array<{ start: number; end: number; scores: Record<ScoreCategory, number> }> = [];
    const bias = this.header.biases;
    for (let s = 0; s + 1 < f.segments.length; s++) {
      const z = Array.from(bias);
      for (let i = f.segments[s]; i < f.segments[s + 1]; i++)
        for (let c = 0; c < CATEGORY_COUNT; c++) z[c] += f.val[i] * this.weight(f.idx[i], c);
      const scores = {} as Record<ScoreCategory, number>;
      SCORE_CATEGORIES.forEach((c, k) => (scores[c] = sigmoid(z[k])));
      const first = f.tokens[f.segmentTokens[s]];
      const last = f.tokens[f.segmentTokens[s + 1] - 1];
      out.push({ start: first.start, end: last.end, scores });
    }
    return out;
  }

  score(text: string): ScoreResult {
    const f = this.extractor.extract(text);
    const z = this.computeLogits(f);
    const scores = {} as Record<ScoreCategory, number>;
    SCORE_CATEGORIES.forEach((c, k) => {
      scores[c] = sigmoid(z[k]);
    });
    return {
      scores,
      spans: this.spans(f, scores, text),
      scorer: { name: this.header.name, version: this.header.version },
    };
  }

  /** Spans only for categories that come near their threshold: what a moderator would see. */
  private spans(f: Features, scores: Record<ScoreCategory, number>, text: string): ScoreSpan[] {
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
  private tokenSpans(f: Features, k: number, category: ScoreCategory, text: string): ScoreSpan[] {
    const contrib = new Float64Array(f.tokens.length);
    for (let i = 0; i < f.n; i++) {
      const o = f.owner[i];
      if (o < 0) continue;
      const c = f.val[i] * this.weight(f.idx[i], k);
      if (o >= PAIR) {
        contrib[o - PAIR] += c / 2;
        contrib[o - PAIR + 1] += c / 2;
      } else contrib[o] += c;
    }
    let max = 0;
    for (const c of contrib) max = Math.max(max, c);
    if (max <= 0.05) return [];
    const out: ScoreSpan[] = [];
    for (let t = 0; t < f.tokens.length; t++) {
      if (contrib[t] < max * 0.35) continue;
      const tok = f.tokens[t];
      const last = out[out.length - 1];
      if (last && /^[\s\p{P}]*$/u.test(text.slice(last.end, tok.start)) && last.end <= tok.start) {
        last.end = tok.end;
        last.weight = Math.max(last.weight, contrib[t] / max);
      } else out.push({ category, start: tok.start, end: tok.end, weight: contrib[t] / max });
    }
    for (const s of out) s.weight = Math.round(s.weight * 1000) / 1000;
    return out;
  }
}
