/**
 * The run-time path of the linear model. It computes exactly the sums that the explicit
 * features of features.ts give (training uses those), but it caches per distinct word
 * what never changes: the weights of its character n-grams summed per category, its
 * unigram's weights and its lexicon entry. Words repeat across comments, so a comment
 * costs an array lookup per word (by the normaliser's interned token id) instead of a
 * dozen hashed n-grams.
 */
import { MASK, MONEY_RE, SECOND_PERSON, denseBucket, digitsBucket, fmix, hashString, lengthBucket } from "./features.js";
import { patternHits, sentenceBounds } from "./features.js";
import type { LexiconMatch, PatternMatch } from "./features.js";
import { type LexiconEntry, lookupToken } from "./lexicon.js";
import { TOKEN_IDS, analyse, type Token } from "./normalize.js";
import { type PatternRule, keywordMask, partnerMask, runnableRules } from "./patterns.js";

const C = 6;
const CACHE_LIMIT = 50_000;

interface WordEntry {
  text: string;
  /** Unigram hash (the bigram hash combines two of them). */
  hash: number;
  /** The unigram's weights per category. */
  uni: Float64Array;
  /** The character n-grams' weights summed per category, and how many n-grams there are. */
  chars: Float64Array;
  charCount: number;
  lexicon: LexiconEntry | null;
  /** Bucket of the lexicon word's dense feature. */
  lexiconBucket: number;
  secondPerson: boolean;
  /** The pattern rules this word is a keyword or a partner word of (patterns.ts). */
  keywords: number;
  partners: number;
}

export interface SentenceLogits {
  from: number;
  to: number;
  /** Per category, without the bias. */
  z: Float64Array;
  wordScale: number;
  charScale: number;
}

export interface FastFeatures {
  tokens: Token[];
  words: WordEntry[];
  sentences: SentenceLogits[];
  patterns: PatternMatch[];
  lexicon: LexiconMatch[];
}

const ruleBuckets = new Map<PatternRule, number>();
function ruleBucket(rule: PatternRule): number {
  let bucket = ruleBuckets.get(rule);
  if (bucket === undefined) ruleBuckets.set(rule, (bucket = denseBucket(`pat:${rule.id}`)));
  return bucket;
}

/** The buckets of the dense features, in the order features.ts adds them. */
const DENSE = {
  url: [0, 1, 2, 3].map((k) => denseBucket(`url:${k}`)),
  money: denseBucket("money"),
  shouting: denseBucket("shouting"),
  excl: [0, 1, 2, 3, 4].map((k) => denseBucket(`excl:${k}`)),
  lexAny: denseBucket("lex:any"),
  lexSlur: denseBucket("lex:slur"),
  you: denseBucket("you"),
  insult: denseBucket("pat:insult"),
  threat: denseBucket("pat:threat"),
  identityAttack: denseBucket("pat:identityAttack"),
  spam: denseBucket("pat:spam"),
};

export const bigramBucket = (previous: number, hash: number) => fmix(Math.imul(previous, 31) ^ hash ^ 0x5bd1e995) & MASK;

export class FastPath {
  /** Words by their token id (the normaliser's intern slot). */
  private words = new Array<WordEntry | undefined>(TOKEN_IDS);
  private wordCount = 0;

  /** The model's one-byte weights, interleaved by bucket, and their decoding table per category. */
  constructor(
    private readonly weights: Uint8Array,
    private readonly table: Float32Array,
  ) {}

  /** Adds scale × the bucket's weight to out[c] for every category. */
  private addWeights(bucket: number, out: Float64Array, scale: number): void {
    const base = bucket * C;
    const w = this.weights;
    const t = this.table;
    out[0] += scale * t[w[base]];
    out[1] += scale * t[256 + w[base + 1]];
    out[2] += scale * t[512 + w[base + 2]];
    out[3] += scale * t[768 + w[base + 3]];
    out[4] += scale * t[1024 + w[base + 4]];
    out[5] += scale * t[1280 + w[base + 5]];
  }

  private word(token: Token): WordEntry {
    const text = token.text;
    const hit = token.id >= 0 ? this.words[token.id] : undefined;
    if (hit !== undefined && hit.text === text) return hit;
    const chars = new Float64Array(C);
    let charCount = 0;
    if (text !== "__url__") {
      const len = text.length + 2;
      for (let p = 0; p + 3 <= len; p++) {
        let h = 0x811c9dc5;
        for (let k = 0; k < 5 && p + k < len; k++) {
          const q = p + k;
          h ^= q === 0 ? 60 : q === len - 1 ? 62 : text.charCodeAt(q - 1);
          h = Math.imul(h, 0x01000193);
          if (k >= 2) {
            this.addWeights(fmix(h ^ (k * 0x9e3779b1)) & MASK, chars, 1);
            charCount++;
          }
        }
      }
    }
    const lexicon = lookupToken(text);
    const hash = hashString(text, 1);
    const uni = new Float64Array(C);
    this.addWeights(hash & MASK, uni, 1);
    const entry = {
      text,
      hash,
      uni,
      chars,
      charCount,
      lexicon,
      lexiconBucket: lexicon ? denseBucket(`lex:${lexicon.word}`) : 0,
      secondPerson: SECOND_PERSON.has(text),
      keywords: keywordMask(text),
      partners: partnerMask(text),
    };
    if (token.id < 0) return entry;
    if (this.wordCount >= CACHE_LIMIT) {
      this.words = new Array<WordEntry | undefined>(TOKEN_IDS);
      this.wordCount = 0;
    }
    if (this.words[token.id] === undefined) this.wordCount++;
    this.words[token.id] = entry;
    return entry;
  }

  features(text: string): FastFeatures {
    const analysis = analyse(text);
    const tokens = analysis.tokens;
    const words: WordEntry[] = new Array(tokens.length);
    let keywords = 0, partners = 0;
    for (let t = 0; t < tokens.length; t++) {
      words[t] = this.word(tokens[t]);
      keywords |= words[t].keywords;
      partners |= words[t].partners;
    }
    const found = patternHits(tokens, runnableRules(keywords, partners));
    const bounds = sentenceBounds(text, tokens);
    const sentences: SentenceLogits[] = [];
    const patterns: PatternMatch[] = [];
    const lexicon: LexiconMatch[] = [];
    // Dense features every sentence of this comment shares (-1: absent).
    const urlBucket = analysis.urls > 0 ? DENSE.url[Math.min(analysis.urls, 3)] : -1;
    const moneyBucket = MONEY_RE.test(text) ? DENSE.money : -1;
    const shoutingBucket = analysis.upperRatio > 0.6 && analysis.length >= 12 ? DENSE.shouting : -1;
    const exclBucket = analysis.exclamations >= 2 ? DENSE.excl[Math.min(analysis.exclamations, 4)] : -1;
    const length = lengthBucket(analysis);
    const digits = digitsBucket(analysis);

    for (let b = 0; b + 1 < bounds.length; b++) {
      const from = bounds[b], to = bounds[b + 1];
      const z = new Float64Array(C);
      const wordScale = Math.fround(1 / Math.sqrt(2 * (to - from) - 1));
      let charCount = 0;
      for (let t = from; t < to; t++) charCount += words[t].charCount;
      const charScale = charCount > 0 ? Math.fround(1 / Math.sqrt(charCount)) : 0;
      let hits = 0, slurs = 0, secondPerson = 0;
      // The hot loop: sums in locals, in the same order per category as addWeights would.
      const W = this.weights, T = this.table;
      let z0 = 0, z1 = 0, z2 = 0, z3 = 0, z4 = 0, z5 = 0;
      for (let t = from; t < to; t++) {
        const w = words[t];
        const uni = w.uni, ch = w.chars;
        z0 += uni[0] * wordScale;
        z1 += uni[1] * wordScale;
        z2 += uni[2] * wordScale;
        z3 += uni[3] * wordScale;
        z4 += uni[4] * wordScale;
        z5 += uni[5] * wordScale;
        if (t > from) {
          const base = bigramBucket(words[t - 1].hash, w.hash) * C;
          z0 += wordScale * T[W[base]];
          z1 += wordScale * T[256 + W[base + 1]];
          z2 += wordScale * T[512 + W[base + 2]];
          z3 += wordScale * T[768 + W[base + 3]];
          z4 += wordScale * T[1024 + W[base + 4]];
          z5 += wordScale * T[1280 + W[base + 5]];
        }
        z0 += ch[0] * charScale;
        z1 += ch[1] * charScale;
        z2 += ch[2] * charScale;
        z3 += ch[3] * charScale;
        z4 += ch[4] * charScale;
        z5 += ch[5] * charScale;
        if (w.lexicon) {
          lexicon.push({ entry: w.lexicon, token: t });
          hits++;
          if (w.lexicon.slur) slurs++;
          const base = w.lexiconBucket * C;
          z0 += 0.5 * T[W[base]];
          z1 += 0.5 * T[256 + W[base + 1]];
          z2 += 0.5 * T[512 + W[base + 2]];
          z3 += 0.5 * T[768 + W[base + 3]];
          z4 += 0.5 * T[1024 + W[base + 4]];
          z5 += 0.5 * T[1280 + W[base + 5]];
        }
        if (w.secondPerson) secondPerson++;
      }
      z[0] = z0;
      z[1] = z1;
      z[2] = z2;
      z[3] = z3;
      z[4] = z4;
      z[5] = z5;
      if (hits > 0) this.addWeights(DENSE.lexAny, z, Math.min(hits, 4) * 0.5);
      if (slurs > 0) this.addWeights(DENSE.lexSlur, z, 1);
      if (secondPerson > 0) this.addWeights(DENSE.you, z, 1);
      let insult = 0, threat = 0, identity = 0, spam = 0;
      for (const [rule, first, last] of found) {
        if (first < from || first >= to) continue;
        patterns.push({ rule, start: tokens[first].start, end: tokens[last].end });
        this.addWeights(ruleBucket(rule), z, 1);
        if (rule.category === "insult") insult++;
        else if (rule.category === "threat") threat++;
        else if (rule.category === "identityAttack") identity++;
        else spam++;
      }
      if (insult) this.addWeights(DENSE.insult, z, Math.min(insult, 2));
      if (threat) this.addWeights(DENSE.threat, z, Math.min(threat, 2));
      if (identity) this.addWeights(DENSE.identityAttack, z, Math.min(identity, 2));
      if (spam) this.addWeights(DENSE.spam, z, Math.min(spam, 2));
      if (urlBucket >= 0) this.addWeights(urlBucket, z, 1);
      if (moneyBucket >= 0) this.addWeights(moneyBucket, z, 1);
      if (shoutingBucket >= 0) this.addWeights(shoutingBucket, z, 1);
      if (exclBucket >= 0) this.addWeights(exclBucket, z, 1);
      this.addWeights(length, z, 1);
      if (digits >= 0) this.addWeights(digits, z, 1);
      sentences.push({ from, to, z, wordScale, charScale });
    }
    return { tokens, words, sentences, patterns, lexicon };
  }
}
