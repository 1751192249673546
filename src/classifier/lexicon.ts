/**
 * Word-level lookup in obscenity's English dataset. Running the matcher per distinct
 * normalised token (cached) instead of over the whole comment keeps it off the hot path,
 * and our normaliser has already undone spacing and leetspeak.
 */
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from "obscenity";

const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

/** Obscenity terms that name or slur a group; they also count towards identity attacks. */
const SLURS = new Set([
  "abeed",
  "abo",
  "africoon",
  "arabush",
  "boonga",
  "chingchong",
  "chink",
  "dyke",
  "fag",
  "kike",
  "negro",
  "nigger",
  "retard",
  "spastic",
  "tranny",
]);

/**
 * Words obscenity matches that are innocent (its own whitelist misses them): fire
 * retardant, a politician's name.
 */
export const INNOCENT_WORDS = ["retardant", "retardation", "shitake", "shiitake", "cummings", "cumings"];

export interface LexiconEntry {
  word: string;
  slur: boolean;
}

const cache = new Map<string, LexiconEntry | null>();
const CACHE_LIMIT = 200_000;

/** The obscenity term a normalised token contains, or null. */
export function lookupToken(token: string): LexiconEntry | null {
  const hit = cache.get(token);
  if (hit !== undefined) return hit;
  let entry: LexiconEntry | null = null;
  if (token.length >= 2 && token !== "__url__" && !INNOCENT_WORDS.some((w) => token.includes(w))) {
    const matches = matcher.getAllMatches(token);
    if (matches.length > 0) {
      const word = englishDataset.getPayloadWithPhraseMetadata(matches[0]).phraseMetadata?.originalWord ?? "?";
      entry = { word, slur: SLURS.has(word) };
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(token, entry);
  return entry;
}
