/**
 * Turns a comment into normalised word tokens that keep their character offsets in the
 * original text, so that evasions (look-alike letters, leetspeak, stretched or spaced-out
 * words) produce the same features as the plain word, and spans point back at what the
 * author actually wrote.
 */

export interface Token {
  /** Normalised form: lower case, ASCII-folded, leetspeak resolved, repeats squeezed. */
  text: string;
  /** Offsets into the original text; `end` is exclusive. */
  start: number;
  end: number;
}

export interface Analysis {
  tokens: Token[];
  urls: number;
  /** Share of upper-case letters among the letters of the original text. */
  upperRatio: number;
  exclamations: number;
  length: number;
}

// Look-alike letters NFKD does not fold to ASCII (Cyrillic, Greek, IPA, symbols).
const CONFUSABLES: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ӏ: "l",
  ԛ: "q",
  ԝ: "w",
  ь: "b",
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  ς: "c",
  ʃ: "f",
  ƒ: "f",
  ƈ: "c",
  ɑ: "a",
  ɡ: "g",
  ɩ: "i",
  ʀ: "r",
  ꜱ: "s",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ł: "l",
  ŀ: "l",
  ı: "i",
  "€": "e",
  "£": "l",
};
const LEET: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
  "+": "t",
};
const INVISIBLE =
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/;
const URL_RE = /(?:https?:\/\/|www\.)[^\s<>"')\]]+/gi;

/** Folded form of one code point: "" = invisible, " " = separator, else lower-case text. */
const foldCache = new Map<number, string>();
function fold(cp: number): string {
  if (cp < 128) {
    if (cp >= 65 && cp <= 90) return String.fromCharCode(cp + 32);
    return String.fromCharCode(cp);
  }
  const hit = foldCache.get(cp);
  if (hit !== undefined) return hit;
  const ch = String.fromCodePoint(cp);
  let out: string;
  if (INVISIBLE.test(ch)) out = "";
  else {
    const lower = ch.toLowerCase();
    const conf = CONFUSABLES[lower];
    if (conf !== undefined) out = conf;
    else {
      const base = lower
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase();
      if (/^[a-z0-9]+$/.test(base)) out = base;
      else if (base.length === 1 && CONFUSABLES[base] !== undefined) out = CONFUSABLES[base];
      else if (/^[\p{L}\p{N}]+$/u.test(base)) out = base;
      else if (/^[\p{M}]+$/u.test(ch)) out = "";
      else out = " ";
    }
  }
  if (foldCache.size < 50_000) foldCache.set(cp, out);
  return out;
}

function isCore(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c > 127 && c !== 0x20);
}
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || c > 127;
}
const SYMBOLS = "@$!|*'+";

function finishToken(raw: string): string {
  let hasLetter = false;
  for (let i = 0; i < raw.length; i++)
    if (isLetter(raw.charCodeAt(i))) {
      hasLetter = true;
      break;
    }
  let out = "";
  let prev = "";
  let run = 0;
  for (let i = 0; i < raw.length; i++) {
    let ch = raw[i];
    if (ch === "'") continue;
    if (hasLetter && LEET[ch] !== undefined) {
      const before = i > 0 && isLetter(raw.charCodeAt(i - 1));
      const after = i + 1 < raw.length && isLetter(raw.charCodeAt(i + 1));
      if (before || after) ch = LEET[ch];
    } else if (!hasLetter && ch >= "0" && ch <= "9") ch = "0";
    run = ch === prev ? run + 1 : 1;
    prev = ch;
    if (run <= 2 || !hasLetter) out += ch;
  }
  return out.length > 24 ? out.slice(0, 24) : out;
}

// Offsets of each folded character in the original text, reused between calls.
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let used = 0;
function mark(start: number, end: number): void {
  if (used === starts.length) {
    const s2 = new Int32Array(used * 2);
    s2.set(starts);
    starts = s2;
    const e2 = new Int32Array(used * 2);
    e2.set(ends);
    ends = e2;
  }
  starts[used] = start;
  ends[used++] = end;
}

export function analyse(text: string): Analysis {
  let folded = "";
  used = 0;
  let upper = 0;
  let letters = 0;
  let exclamations = 0;
  let urls = 0;
  const urlRanges: number[] = [];
  if (text.includes("http") || text.includes("www.")) {
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
      folded += " \u0001 ";
      mark(i, end);
      mark(i, end);
      mark(i, end);
      i = end;
      u += 2;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp >= 65 && cp <= 90) {
      upper++;
      letters++;
    } else if (cp >= 97 && cp <= 122) letters++;
    else if (cp === 33) exclamations++;
    const f = fold(cp);
    for (let k = 0; k < f.length; k++) {
      folded += f[k];
      mark(i, i + width);
    }
    i += width;
  }

  const tokens: Token[] = [];
  const n = folded.length;
  let i = 0;
  while (i < n) {
    const c = folded.charCodeAt(i);
    if (c === 1) {
      tokens.push({ text: "__url__", start: starts[i], end: ends[i] });
      i++;
      continue;
    }
    const startsSym = (c === 64 || c === 36) && i + 1 < n && isLetter(folded.charCodeAt(i + 1));
    if (!isCore(c) && !startsSym) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n) {
      const d = folded.charCodeAt(j);
      if (isCore(d) && d !== 1) {
        j++;
        continue;
      }
      if (SYMBOLS.includes(folded[j]) && j + 1 < n && isCore(folded.charCodeAt(j + 1))) {
        j++;
        continue;
      }
      break;
    }
    const t = finishToken(folded.slice(i, j));
    if (t.length > 0) tokens.push({ text: t, start: starts[i], end: ends[j - 1] });
    i = j;
  }
  return {
    tokens: mergeSpacedLetters(tokens, text),
    urls,
    upperRatio: letters ? upper / letters : 0,
    exclamations,
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
      !/[\n,;:?]/.test(text.slice(tokens[j].end, tokens[j + 1].start))
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
      out.push({ text: finishToken(t), start: tokens[from].start, end: tokens[j].end });
    } else for (let k = from; k <= j; k++) out.push(tokens[k]);
    i = j + 1;
  }
  return out;
}
