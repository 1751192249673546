/**
 * One folding of a comment's text, shared by the word lists, the duplicate hashes and the
 * scorer's normaliser: invisible characters removed, compatibility forms and accents folded
 * (NFKD without combining marks), look-alike letters mapped to Latin (a UTS #39-style
 * skeleton for letters), lower case. Each folded character keeps the range of the original
 * text it came from, so matches still point at what the author wrote.
 */
import { CONFUSABLES } from "./letters.js";

// Default_Ignorable_Code_Point covers soft hyphens, U+034F, U+2060–2064, variation selectors,
// tag characters, U+3164, U+17B4, U+1D173–1D17A and the zero-width family; the bidi marks
// and U+180E are added because they render as nothing too.
const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\u061c\u180e\u200e\u200f\u202a-\u202e]$/u;
const MARK = /^\p{M}+$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]+$/u;
const SPACE = /^\s$/u;

/**
 * The folded form of one code point: "" when it is invisible or a combining mark, " " for
 * white space, otherwise lower-case letters and digits, or the character itself
 * (punctuation and symbols stay, as separators and masks).
 */
const cache = new Map<number, string>();
export function foldCodePoint(cp: number): string {
  if (cp < 128) return cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : String.fromCharCode(cp);
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  const ch = String.fromCodePoint(cp);
  let out: string;
  if (INVISIBLE.test(ch) || MARK.test(ch)) out = "";
  else if (SPACE.test(ch)) out = " ";
  else {
    const lower = ch.toLowerCase();
    out = CONFUSABLES[ch] ?? CONFUSABLES[lower] ?? "";
    if (!out) {
      const base = lower.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
      if (base.length === 1 && CONFUSABLES[base] !== undefined) out = CONFUSABLES[base];
      else if (LETTER_OR_DIGIT.test(base)) out = base;
      else if (base && base !== ch && /^[\x20-\x7e]+$/.test(base)) out = base;
      else out = ch;
    }
  }
  if (cache.size < 50_000) cache.set(cp, out);
  return out;
}

export interface FoldedText {
  text: string;
  /** For each UTF-16 unit of `text`, the range of the original text it came from. */
  starts: Int32Array;
  ends: Int32Array;
}

/** Folds a whole text once, keeping offsets into the original. */
export function foldText(original: string): FoldedText {
  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < original.length;) {
    const cp = original.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp);
    for (let k = 0; k < f.length; k++) {
      starts.push(i);
      ends.push(i + width);
    }
    text += f;
    i += width;
  }
  return { text, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/**
 * The text as copies are compared: folded, then only letters and digits with single spaces,
 * so that look-alike letters, accents, invisible characters and punctuation hide nothing.
 */
export function foldForCopies(original: string): string {
  return foldText(original)
    .text.replace(/[^\p{L}\p{N}\s]/gu, "")
    .replace(/\s+/gu, " ")
    .trim();
}
