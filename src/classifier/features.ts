/**
 * Sparse features of a comment: hashed word 1–2-grams and character 3–5-grams of the
 * normalised tokens, plus a few dense signals (obscenity lexicon hits, project patterns,
 * links, shouting). Every token-derived feature remembers its token so the model can say
 * which words pushed a score up.
 */
import { analyse, type Analysis, type Token } from "./normalize.js";
import { lookupToken, type LexiconEntry } from "./lexicon.js";
import { matchPatterns, type PatternRule } from "./patterns.js";

export const HASH_BITS = 19;
export const BUCKETS = 1 << HASH_BITS;
export const MASK = BUCKETS - 1;
/** Owner code of a bigram feature: shared by token (owner - PAIR) and the next one. */
export const PAIR = 1 << 24;
const NO_OWNER = -1;

export const SECOND_PERSON = new Set(["you", "u", "ya", "youre", "ur", "your", "yours", "yourself", "yall", "ye"]);
export const MONEY_RE = /[$€£]\s?\d|\d\s?(?:usd|dollars|euros)\b/i;

export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

export interface PatternMatch {
  rule: PatternRule;
  start: number;
  end: number;
}

export interface LexiconMatch {
  entry: LexiconEntry;
  token: number;
}

export interface Features {
  idx: Int32Array;
  val: Float32Array;
  owner: Int32Array;
  n: number;
  /** Feature offsets where each sentence starts, then the end: [s0, s1, …, n]. */
  segments: number[];
  /** Token index where each sentence starts, then the token count (same length as segments). */
  segmentTokens: number[];
  tokens: Token[];
  patterns: PatternMatch[];
  lexicon: LexiconMatch[];
}

const denseBuckets = new Map<string, number>();

/** The bucket of a named dense feature ("money", "pat:subscribe", …). */
export function denseBucket(name: string): number {
  let bucket = denseBuckets.get(name);
  if (bucket === undefined) {
    bucket = hashString(name, 7) & MASK;
    denseBuckets.set(name, bucket);
  }
  return bucket;
}

const LENGTH_BUCKETS = [0, 1, 2, 3, 4].map((k) => denseBucket(`len:${k}`));
const DIGITS_BUCKET = denseBucket("digits");
/**
 * The buckets of the comment-shape features, which only the spam model learns: in the
 * training sets long comments are mostly toxic ones (Toxic Spans) and short ones tweets
 * and sentences, so toxicity would learn "long is toxic" from them (measured: the
 * validation AUC of whole toxic comments against their span-free sentences fell).
 */
export const SPAM_ONLY_BUCKETS: readonly number[] = [...LENGTH_BUCKETS, DIGITS_BUCKET];
/**
 * The comment's shape, which every sentence shares: its length band, and whether digits
 * make up much of it (phone numbers, prices, "000 views"). Spam and ham differ in both.
 */
export function lengthBucket(a: Analysis): number {
  const n = a.length;
  return LENGTH_BUCKETS[n < 30 ? 0 : n < 80 ? 1 : n < 160 ? 2 : n < 320 ? 3 : 4];
}
/** The digits feature's bucket, or -1 when digits are few. */
export function digitsBucket(a: Analysis): number {
  return a.digits >= 3 && a.digits >= 0.05 * a.length ? DIGITS_BUCKET : -1;
}

/**
 * Sentence bounds as token indices [t0, t1, …, tokens.length]. Sentences under 8 tokens
 * join a neighbour, as short pieces give jumpy scores.
 */
const MIN_SENTENCE = 8;
export function sentenceBounds(text: string, tokens: Token[]): number[] {
  const bounds = [0];
  for (let t = 0; t < tokens.length - 1; t++) {
    const from = bounds[bounds.length - 1];
    if (t - from + 1 < MIN_SENTENCE || tokens.length - t - 1 < MIN_SENTENCE || !endsSentence(text, tokens[t].end, tokens[t + 1].start)) continue;
    bounds.push(t + 1);
  }
  if (tokens.length > 0) bounds.push(tokens.length);
  return bounds;
}

/** Whether text[from, to) holds . ! ? or a newline (a char loop: this runs per token). */
function endsSentence(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 46 || c === 33 || c === 63 || c === 10) return true;
  }
  return false;
}

/** Project patterns on the joined normalised text, as [rule, first token, last token]. */
export function patternHits(tokens: Token[], mask?: number): Array<[PatternRule, number, number]> {
  if (mask === 0) return [];
  let joined = "";
  const tokenAt: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    if (t > 0) {
      joined += " ";
      tokenAt.push(t);
    }
    joined += tokens[t].text;
    for (let k = 0; k < tokens[t].text.length; k++) tokenAt.push(t);
  }
  return matchPatterns(joined, mask).map((h) => [h.rule, tokenAt[h.from], tokenAt[h.to - 1]]);
}

export class FeatureExtractor {
  private idx = new Int32Array(4096);
  private val = new Float32Array(4096);
  private owner = new Int32Array(4096);
  private n = 0;

  private push(bucket: number, value: number, owner: number): void {
    if (this.n === this.idx.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.idx = grow(this.idx);
      this.owner = grow(this.owner);
      const v = new Float32Array(this.val.length * 2);
      v.set(this.val);
      this.val = v;
    }
    this.idx[this.n] = bucket;
    this.val[this.n] = value;
    this.owner[this.n] = owner;
    this.n++;
  }

  private dense(name: string, value: number): void {
    this.push(denseBucket(name), value, NO_OWNER);
  }

  /**
   * Features per sentence: the model scores each sentence and keeps the highest, so one
   * toxic sentence is not diluted by a long polite comment, and a long comment is not
   * toxic for its length. Sentences under 8 tokens join a neighbour, as short pieces
   * give jumpy scores. The returned arrays are reused by the next call.
   */
  extract(text: string): Features {
    this.n = 0;
    const analysis = analyse(text);
    const tokens = analysis.tokens;
    const segments: number[] = [];
    const segmentTokens: number[] = [];
    const lexicon: LexiconMatch[] = [];
    const patterns: PatternMatch[] = [];
    const money = MONEY_RE.test(text);
    const hits = patternHits(tokens);
    const bounds = sentenceBounds(text, tokens);
    const length = lengthBucket(analysis);
    const digits = digitsBucket(analysis);
    for (let b = 0; b + 1 < bounds.length; b++) {
      const from = bounds[b], to = bounds[b + 1];
      segments.push(this.n);
      segmentTokens.push(from);
      this.segment(tokens, from, to, lexicon);
      this.patternFeatures(hits, tokens, from, to, patterns);
      if (analysis.urls > 0) this.dense(`url:${Math.min(analysis.urls, 3)}`, 1);
      if (money) this.dense("money", 1);
      if (analysis.upperRatio > 0.6 && analysis.length >= 12) this.dense("shouting", 1);
      if (analysis.exclamations >= 2) this.dense(`excl:${Math.min(analysis.exclamations, 4)}`, 1);
      this.push(length, 1, NO_OWNER);
      if (digits >= 0) this.push(digits, 1, NO_OWNER);
    }
    segments.push(this.n);
    segmentTokens.push(tokens.length);
    return { idx: this.idx, val: this.val, owner: this.owner, n: this.n, segments, segmentTokens, tokens, patterns, lexicon };
  }

  private segment(tokens: Token[], from: number, to: number, lexicon: LexiconMatch[]): void {
    // Word unigrams and bigrams, normalised as one group.
    const wordStart = this.n;
    let prevHash = 0;
    for (let t = from; t < to; t++) {
      const h = hashString(tokens[t].text, 1);
      this.push(h & MASK, 1, t);
      if (t > from) this.push(fmix(Math.imul(prevHash, 31) ^ h ^ 0x5bd1e995) & MASK, 1, PAIR + t - 1);
      prevHash = h;
    }
    const wordEnd = this.n;
    if (wordEnd > wordStart) this.val.fill(1 / Math.sqrt(wordEnd - wordStart), wordStart, wordEnd);

    // Character 3–5-grams inside each token, with "<" and ">" marking its edges.
    for (let t = from; t < to; t++) {
      const s = tokens[t].text;
      if (s === "__url__") continue;
      const len = s.length + 2;
      for (let p = 0; p + 3 <= len; p++) {
        let h = 0x811c9dc5;
        for (let k = 0; k < 5 && p + k < len; k++) {
          const q = p + k;
          h ^= q === 0 ? 60 : q === len - 1 ? 62 : s.charCodeAt(q - 1);
          h = Math.imul(h, 0x01000193);
          if (k >= 2) this.push(fmix(h ^ (k * 0x9e3779b1)) & MASK, 1, t);
        }
      }
    }
    if (this.n > wordEnd) this.val.fill(1 / Math.sqrt(this.n - wordEnd), wordEnd, this.n);

    // Lexicon hits from obscenity's English dataset.
    let hits = 0;
    let slurs = 0;
    let secondPerson = 0;
    for (let t = from; t < to; t++) {
      const entry = lookupToken(tokens[t].text);
      if (entry) {
        lexicon.push({ entry, token: t });
        hits++;
        if (entry.slur) slurs++;
        this.dense(`lex:${entry.word}`, 0.5);
      }
      if (SECOND_PERSON.has(tokens[t].text)) secondPerson++;
    }
    if (hits > 0) this.dense("lex:any", Math.min(hits, 4) * 0.5);
    if (slurs > 0) this.dense("lex:slur", 1);
    if (secondPerson > 0) this.dense("you", 1);
  }

  /** Pattern features of the hits that start in this sentence. */
  private patternFeatures(hits: Array<[PatternRule, number, number]>, tokens: Token[], from: number, to: number, out: PatternMatch[]): void {
    let insult = 0, threat = 0, identity = 0, spam = 0;
    for (const [rule, first, last] of hits) {
      if (first < from || first >= to) continue;
      out.push({ rule, start: tokens[first].start, end: tokens[last].end });
      this.dense(`pat:${rule.id}`, 1);
      if (rule.category === "insult") insult++;
      else if (rule.category === "threat") threat++;
      else if (rule.category === "identityAttack") identity++;
      else spam++;
    }
    if (insult) this.dense("pat:insult", Math.min(insult, 2));
    if (threat) this.dense("pat:threat", Math.min(threat, 2));
    if (identity) this.dense("pat:identityAttack", Math.min(identity, 2));
    if (spam) this.dense("pat:spam", Math.min(spam, 2));
  }
}
