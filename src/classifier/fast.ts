/**
 * The run-time path of the linear model. It computes exactly the sums that the explicit
 * features of features.ts give (training uses those), but it caches per distinct word
 * what never changes: the weights of its character n-grams summed per category, its
 * unigram bucket and its lexicon entry. Words repeat across comments, so a comment costs
 * a map lookup per word instead of a dozen hashed n-grams.
 */
import { MASK, MONEY_RE, SECOND_PERSON, denseBucket, fmix, hashString, patternHits, sentenceBounds } from "./features.js";
import type { LexiconMatch, PatternMatch } from "./features.js";
import { type LexiconEntry, lookupToken } from "./lexicon.js";
import { analyse, type Token } from "./normalize.js";
import { type PatternRule, ruleMask } from "./patterns.js";

const C = 6;
const CACHE_LIMIT = 50_000;

interface WordEntry {
  /** Unigram hash (the bigram hash combines two of them). */
  hash: number;
  /** The character n-grams' weights summed per category, and how many n-grams there are. */
  chars: Float64Array;
  charCount: number;
  lexicon: LexiconEntry | null;
  /** Bucket of the lexicon word's dense feature. */
  lexiconBucket: number;
  secondPerson: boolean;
  /** The pattern rules this word lets run. */
  rules: number;
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

export const bigramBucket = (previous: number, hash: number) => fmix(Math.imul(previous, 31) ^ hash ^ 0x5bd1e995) & MASK;

export class FastPath {
  private readonly words = new Map<string, WordEntry>();

  /** `addWeights(bucket, out, scale)` adds scale × the bucket's weight to out[c] for every category. */
  constructor(private readonly addWeights: (bucket: number, out: Float64Array, scale: number) => void) {}

  private word(text: string): WordEntry {
    const hit = this.words.get(text);
    if (hit) return hit;
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
    const entry = {
      hash: hashString(text, 1),
      chars,
      charCount,
      lexicon,
      lexiconBucket: lexicon ? denseBucket(`lex:${lexicon.word}`) : 0,
      secondPerson: SECOND_PERSON.has(text),
      rules: ruleMask(text),
    };
    if (this.words.size >= CACHE_LIMIT) this.words.clear();
    this.words.set(text, entry);
    return entry;
  }

  features(text: string): FastFeatures {
    const analysis = analyse(text);
    const tokens = analysis.tokens;
    const words: WordEntry[] = new Array(tokens.length);
    let rules = 0;
    for (let t = 0; t < tokens.length; t++) {
      words[t] = this.word(tokens[t].text);
      rules |= words[t].rules;
    }
    const found = patternHits(tokens, rules);
    const bounds = sentenceBounds(text, tokens);
    const sentences: SentenceLogits[] = [];
    const patterns: PatternMatch[] = [];
    const lexicon: LexiconMatch[] = [];
    // Dense features every sentence of this comment shares.
    const shared: string[] = [];
    if (analysis.urls > 0) shared.push(`url:${Math.min(analysis.urls, 3)}`);
    if (MONEY_RE.test(text)) shared.push("money");
    if (analysis.upperRatio > 0.6 && analysis.length >= 12) shared.push("shouting");
    if (analysis.exclamations >= 2) shared.push(`excl:${Math.min(analysis.exclamations, 4)}`);

    for (let b = 0; b + 1 < bounds.length; b++) {
      const from = bounds[b], to = bounds[b + 1];
      const z = new Float64Array(C);
      const wordScale = Math.fround(1 / Math.sqrt(2 * (to - from) - 1));
      let charCount = 0;
      for (let t = from; t < to; t++) charCount += words[t].charCount;
      const charScale = charCount > 0 ? Math.fround(1 / Math.sqrt(charCount)) : 0;
      let hits = 0, slurs = 0, secondPerson = 0;
      for (let t = from; t < to; t++) {
        const w = words[t];
        this.addWeights(w.hash & MASK, z, wordScale);
        if (t > from) this.addWeights(bigramBucket(words[t - 1].hash, w.hash), z, wordScale);
        for (let c = 0; c < C; c++) z[c] += w.chars[c] * charScale;
        if (w.lexicon) {
          lexicon.push({ entry: w.lexicon, token: t });
          hits++;
          if (w.lexicon.slur) slurs++;
          this.addWeights(w.lexiconBucket, z, 0.5);
        }
        if (w.secondPerson) secondPerson++;
      }
      if (hits > 0) this.dense("lex:any", Math.min(hits, 4) * 0.5, z);
      if (slurs > 0) this.dense("lex:slur", 1, z);
      if (secondPerson > 0) this.dense("you", 1, z);
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
      if (insult) this.dense("pat:insult", Math.min(insult, 2), z);
      if (threat) this.dense("pat:threat", Math.min(threat, 2), z);
      if (identity) this.dense("pat:identityAttack", Math.min(identity, 2), z);
      if (spam) this.dense("pat:spam", Math.min(spam, 2), z);
      for (const name of shared) this.dense(name, 1, z);
      sentences.push({ from, to, z, wordScale, charScale });
    }
    return { tokens, words, sentences, patterns, lexicon };
  }

  private dense(name: string, value: number, z: Float64Array): void {
    this.addWeights(denseBucket(name), z, value);
  }
}
