import { DataSet, RegExpMatcher, englishDataset, englishRecommendedTransformers, parseRawPattern } from "obscenity";
import { badRequest } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import type { Phase } from "./types.js";

type Matcher = RegExpMatcher;
const cache = new Map<string, Matcher | null>();
const CACHE_LIMIT = 64;

function escapePattern(word: string): string {
  return word.replace(/[[\]?|\\]/g, "\\$&");
}

/** One obscenity matcher per distinct word list, built once (lists are bounded by the settings schema). */
function matcherFor(words: string[] | "default"): Matcher | null {
  const key = words === "default" ? "default" : JSON.stringify(words);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let matcher: Matcher | null = null;
  if (words === "default") {
    matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  } else if (words.length > 0) {
    const dataset = new DataSet<{ word: string }>();
    for (const word of words) {
      dataset.addPhrase((phrase) =>
        phrase.setMetadata({ word }).addPattern(parseRawPattern(escapePattern(word.toLowerCase()))),
      );
    }
    matcher = new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, matcher);
  return matcher;
}

/**
 * Letters spelled out one by one ("f u c k", "s.h.i.t") joined back together, so spacing
 * does not evade the lists. Leetspeak and look-alike characters are folded by obscenity.
 */
export function despaced(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])(?:[\p{L}\p{N}][\s.\-_*]+){2,}[\p{L}\p{N}](?![\p{L}\p{N}])/gu, (run) =>
    run.replace(/[\s.\-_*]+/g, ""),
  );
}

function matches(matcher: Matcher | null, text: string): boolean {
  if (!matcher) return false;
  if (matcher.hasMatch(text)) return true;
  const joined = despaced(text);
  return joined !== text && matcher.hasMatch(joined);
}

/** Banned words refuse the comment (without saying which word); suspect words hold it. */
export const words: Phase = ({ settings, body }) => {
  if (matches(matcherFor(settings.bannedWords), body)) {
    throw badRequest(
      ErrorCodes.BANNED_WORD,
      "This comment contains language this site does not allow. Please rephrase it.",
    );
  }
  if (matches(matcherFor(settings.suspectWords), body)) {
    return {
      hold: true,
      reasons: [{ phase: "words", code: "SUSPECT_WORD", message: "Contains a word on the suspect list." }],
    };
  }
};
