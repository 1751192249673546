/**
 * Turns a comment into normalised word tokens that keep their character offsets in the
 * original text, so that evasions (look-alike letters, leetspeak, stretched or spaced-out
 * words) produce the same features as the plain word, and spans point back at what the
 * author actually wrote.
 */

import { foldCodePoint } from "./fold.js";
import { LEET } from "./letters.js";

export interface Token {
  /** Normalised form: lower case, ASCII-folded, leetspeak resolved, repeats squeezed. */
  text: string;
  /** Offsets into the original text; `end` is exclusive. */
  start: number;
  end: number;
  /**
   * The interned word's slot (-1: not interned). Two tokens with the same text in one
   * comment share it, so callers can cache per word in an array; check `text` on a hit,
   * as a slot is reused once the intern table is cleared.
   */
  id: number;
}

export interface Analysis {
  tokens: Token[];
  urls: number;
  /** Share of upper-case letters among the letters of the original text. */
  upperRatio: number;
  exclamations: number;
  /** ASCII digits in the original text (links excluded). */
  digits: number;
  length: number;
}

// Links, with or without a scheme: spam often writes a bare "site.com/page".
const URL_RE =
  /(?:https?:\/\/|www\.)[^\s<>"')\]]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|info|biz|io|tv|gl|ly)\b(?:\/[^\s<>"')\]]*)?/gi;
const BARE_DOMAIN = /\.(?:com|org|net|info|biz|io|tv|gl|ly)\b/i;

/** Folded form of one code point: "" = invisible, " " = separator, else lower-case text. */
const foldCache = new Map<number, string>();
function fold(cp: number): string {
  if (cp < 128) {
    if (cp >= 65 && cp <= 90) return String.fromCharCode(cp + 32);
    return String.fromCharCode(cp);
  }
  const hit = foldCache.get(cp);
  if (hit !== undefined) return hit;
  // The same folding as the word lists and the duplicate hashes (fold.ts); symbols and
  // punctuation outside ASCII only separate words here.
  const f = foldCodePoint(cp);
  const out = f === "" || /^[\p{L}\p{N}]+$/u.test(f) ? f : " ";
  if (foldCache.size < 50_000) foldCache.set(cp, out);
  return out;
}

function isCore(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c > 127 && c !== 0x20);
}
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || c > 127;
}
/** @ $ ! | * ' + : joined into a word when a word character follows. */
function isSymbol(c: number): boolean {
  return c === 64 || c === 36 || c === 33 || c === 124 || c === 42 || c === 39 || c === 43;
}
/** The letter a leetspeak character stands for, as a char code (0: none). */
const LEET_CODE = new Uint16Array(128);
for (const [k, v] of Object.entries(LEET)) LEET_CODE[k.charCodeAt(0)] = v.charCodeAt(0);

const MAX_TOKEN = 24;
const tokenCodes = new Uint16Array(MAX_TOKEN);

/**
 * Token strings are interned: the same word gives the same string object every time, so
 * the word caches downstream hash it once, and a comment builds no string per character.
 */
const INTERN_BITS = 17;
/** Token ids are below this. */
export const TOKEN_IDS = 1 << INTERN_BITS;
let internTable: Array<string | undefined> = new Array(TOKEN_IDS);
let internCount = 0;
/** The slot of the string intern() returned last (-1: not interned). */
let lastSlot = -1;
function intern(len: number): string {
  let h = 0x811c9dc5;
  for (let k = 0; k < len; k++) h = Math.imul(h ^ tokenCodes[k], 0x01000193);
  const mask = (1 << INTERN_BITS) - 1;
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const s = internTable[slot];
    if (s === undefined) break;
    if (s.length !== len) continue;
    let k = 0;
    while (k < len && s.charCodeAt(k) === tokenCodes[k]) k++;
    if (k === len) {
      lastSlot = slot;
      return s;
    }
  }
  let out = "";
  for (let k = 0; k < len; k++) out += String.fromCharCode(tokenCodes[k]);
  lastSlot = -1;
  // Only a comment of tens of thousands of distinct words gets here with the table full.
  if (internCount >= INTERN_FULL) return out;
  for (let slot = h & mask; ; slot = (slot + 1) & mask)
    if (internTable[slot] === undefined) {
      internTable[slot] = out;
      lastSlot = slot;
      break;
    }
  internCount++;
  return out;
}
const INTERN_FULL = (3 << INTERN_BITS) >> 2;
/** Cleared between comments only, so that the slots of one comment's tokens stay distinct. */
function makeInternRoom(words: number): void {
  if (internCount + words < 1 << (INTERN_BITS - 1)) return;
  internTable = new Array(1 << INTERN_BITS);
  internCount = 0;
}

/**
 * The normalised form of raw[from, to): apostrophes dropped, leetspeak inside words
 * resolved, digits of a number read as 0, letters repeated 3+ times squeezed to 2, at most
 * 24 characters.
 */
function finishCodes(raw: Uint16Array, from: number, to: number): string {
  let hasLetter = false;
  for (let i = from; i < to; i++)
    if (isLetter(raw[i])) {
      hasLetter = true;
      break;
    }
  let len = 0;
  let prev = -1;
  let run = 0;
  for (let i = from; i < to && len < MAX_TOKEN; i++) {
    let ch = raw[i];
    if (ch === 39) continue;
    if (hasLetter && ch < 128 && LEET_CODE[ch] !== 0) {
      if ((i > from && isLetter(raw[i - 1])) || (i + 1 < to && isLetter(raw[i + 1]))) ch = LEET_CODE[ch];
    } else if (!hasLetter && ch >= 48 && ch <= 57) ch = 48;
    run = ch === prev ? run + 1 : 1;
    prev = ch;
    if (run <= 2 || !hasLetter) tokenCodes[len++] = ch;
  }
  if (len > 0) return intern(len);
  lastSlot = -1;
  return "";
}

/** The slot of "__url__" (interned as it is, not normalised). */
function urlSlot(): number {
  const url = "__url__";
  for (let k = 0; k < url.length; k++) tokenCodes[k] = url.charCodeAt(k);
  intern(url.length);
  return lastSlot;
}

let scratch = new Uint16Array(256);
function finishToken(raw: string): string {
  if (scratch.length < raw.length) scratch = new Uint16Array(raw.length * 2);
  for (let i = 0; i < raw.length; i++) scratch[i] = raw.charCodeAt(i);
  return finishCodes(scratch, 0, raw.length);
}

// The folded text as char codes, with each one's offsets in the original text; reused
// between calls.
let folded = new Uint16Array(1024);
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let used = 0;
function push(code: number, start: number, end: number): void {
  if (used === starts.length) {
    const f2 = new Uint16Array(used * 2);
    f2.set(folded);
    folded = f2;
    const s2 = new Int32Array(used * 2);
    s2.set(starts);
    starts = s2;
    const e2 = new Int32Array(used * 2);
    e2.set(ends);
    ends = e2;
  }
  folded[used] = code;
  starts[used] = start;
  ends[used++] = end;
}

export function analyse(text: string): Analysis {
  used = 0;
  makeInternRoom(text.length + 1);
  let upper = 0;
  let letters = 0;
  let exclamations = 0;
  let digits = 0;
  let urls = 0;
  const urlRanges: number[] = [];
  if (text.includes("http") || text.includes("www.") || BARE_DOMAIN.test(text)) {
    for (const m of text.matchAll(URL_RE)) {
      urls++;
      urlRanges.push(m.index, m.index + m[0].length);
    }
  }
  let u = 0;
  for (let i = 0; i < text.length;) {
    if (u < urlRanges.length && i >= urlRanges[u]) {
      // A URL becomes one placeholder token; its letters are not words of the comment.
      const end = urlRanges[u + 1];
      push(32, i, end);
      push(1, i, end);
      push(32, i, end);
      i = end;
      u += 2;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (c >= 65 && c <= 90) {
        upper++;
        letters++;
        push(c + 32, i, i + 1);
      } else {
        if (c >= 97 && c <= 122) letters++;
        else if (c === 33) exclamations++;
        else if (c >= 48 && c <= 57) digits++;
        push(c, i, i + 1);
      }
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = fold(cp);
    for (let k = 0; k < f.length; k++) push(f.charCodeAt(k), i, i + width);
    i += width;
  }

  const tokens: Token[] = [];
  const n = used;
  let i = 0;
  while (i < n) {
    const c = folded[i];
    if (c === 1) {
      tokens.push({ text: "__url__", start: starts[i], end: ends[i], id: urlSlot() });
      i++;
      continue;
    }
    const startsSym = (c === 64 || c === 36) && i + 1 < n && isLetter(folded[i + 1]);
    if (!isCore(c) && !startsSym) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n) {
      const d = folded[j];
      if (isCore(d) || (isSymbol(d) && j + 1 < n && isCore(folded[j + 1]))) j++;
      else break;
    }
    const t = finishCodes(folded, i, j);
    if (t.length > 0) tokens.push({ text: t, start: starts[i], end: ends[j - 1], id: lastSlot });
    i = j;
  }
  return {
    tokens: mergeSpacedLetters(tokens, text),
    urls,
    upperRatio: letters ? upper / letters : 0,
    exclamations,
    digits,
    length: text.length,
  };
}

/** "f u c k" and "f.u.c.k" become one token; a leading article "a"/"i" stays separate. */
function mergeSpacedLetters(tokens: Token[], text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (
      j + 1 < tokens.length &&
      tokens[j].text.length === 1 &&
      tokens[j + 1].text.length === 1 &&
      tokens[j + 1].start - tokens[j].end <= 3 &&
      !/[\n;:?]/.test(text.slice(tokens[j].end, tokens[j + 1].start))
    )
      j++;
    let from = i;
    if (j - i + 1 >= 4 && (tokens[i].text === "a" || tokens[i].text === "i")) {
      out.push(tokens[i]);
      from = i + 1;
    }
    if (j - from + 1 >= 3) {
      let t = "";
      for (let k = from; k <= j; k++) t += tokens[k].text;
      const word = finishToken(t);
      out.push({ text: word, start: tokens[from].start, end: tokens[j].end, id: lastSlot });
    } else for (let k = from; k <= j; k++) out.push(tokens[k]);
    i = j + 1;
  }
  return out;
}
