/**
 * The spellings a word list must see through, found on the folded text (fold.ts): letters
 * spelled out with any separator ("f,u,c,k", "f/u/c/k"), masks inside a word ("f*ck"),
 * leetspeak ("n1993r", "cvnt"), stretched letters, a space splitting a word ("fu ck") and
 * compounds ("whoreface"). Each form keeps the range of the original text it came from.
 */
import { foldText } from "../../classifier/fold.js";

export interface Form {
  /** Candidate spellings of one word, lower-case ASCII where the text allowed. */
  spellings: string[];
  start: number;
  end: number;
}

// Leetspeak: the letters a digit or symbol may stand for inside a word.
const LEET: Record<string, string[]> = {
  "0": ["o"],
  "1": ["i", "l"],
  "3": ["e"],
  "4": ["a"],
  "5": ["s"],
  "7": ["t"],
  "8": ["b"],
  "9": ["g"],
  "@": ["a"],
  $: ["s"],
  "!": ["i", "l"],
  "|": ["l", "i"],
  "+": ["t"],
  "€": ["e"],
};
const MASK = "*";
// Characters that stand for a hidden letter inside a word.
const MASKS = /[*#%?_•·★☆♥❤●○✱✲✳✴✵✶✷✸✹✺]/u;
const WORD_CHAR = /[\p{L}\p{N}@$!|+€]/u;

interface Raw {
  text: string;
  start: number;
  end: number;
  /** Separator before this token contains a line break. */
  breakBefore: boolean;
  gapBefore: string;
}

/** Words of the folded text: letters, digits, leetspeak symbols and masks between letters. */
function rawTokens(original: string): Raw[] {
  const { text, starts, ends } = foldText(original);
  const out: Raw[] = [];
  let i = 0;
  let gap = "";
  while (i < text.length) {
    const c = text[i];
    if (!WORD_CHAR.test(c)) {
      gap += c;
      i++;
      continue;
    }
    let j = i;
    let word = "";
    while (j < text.length) {
      const d = text[j];
      if (WORD_CHAR.test(d)) word += d;
      // A contraction ends the word: "who're" is not "whore".
      else if ((d === "'" || d === "’") && /^(?:re|ll|ve|[stdm])(?![\p{L}\p{N}])/u.test(text.slice(j + 1, j + 4)))
        break;
      else if ((MASKS.test(d) || d === "'" || d === "’") && word && j + 1 < text.length && WORD_CHAR.test(text[j + 1]))
        word += d === "'" || d === "’" ? "" : MASK;
      else if (d === "*" && word && /\p{L}/u.test(word) && (j + 1 >= text.length || !WORD_CHAR.test(text[j + 1])))
        word += MASK; // a trailing star: "sh*", "a**"
      else break;
      j++;
    }
    out.push({ text: word, start: starts[i], end: ends[j - 1], breakBefore: gap.includes("\n"), gapBefore: gap });
    gap = "";
    i = j;
  }
  return out;
}

/** Every reading of a word's leetspeak (at most 16), the plain letters first. */
function leetReadings(word: string): string[] {
  if (!/[\p{L}]/u.test(word.replace(/[0-9]/g, ""))) return [word];
  let readings = [""];
  for (const ch of word) {
    const alts = LEET[ch] ?? (ch === "v" ? ["v", "u"] : [ch]);
    const next: string[] = [];
    for (const r of readings) for (const a of alts) if (next.length < 16) next.push(r + a);
    readings = next;
  }
  return readings;
}

/** Letters repeated three times or more become one; a doubled letter is also read as one. */
export function squeeze(word: string): string {
  // Most words have no doubled letter: answered without the regular expression.
  for (let i = 1; i < word.length; i++) if (word.charCodeAt(i) === word.charCodeAt(i - 1)) return word.replace(/(.)\1+/g, "$1");
  return word;
}

/**
 * Single letters separated by runs of anything but letters (no line break) become one word:
 * "f u c k", "f,u,c,k", "f/u/c/k", "f . u . c . k".
 */
function joinSpelledOut(raws: Raw[]): Raw[] {
  const out: Raw[] = [];
  for (let i = 0; i < raws.length;) {
    let j = i;
    while (
      j + 1 < raws.length &&
      [...raws[j].text].length === 1 &&
      [...raws[j + 1].text].length === 1 &&
      !raws[j + 1].breakBefore &&
      raws[j + 1].gapBefore.length <= 4
    )
      j++;
    if (j - i >= 2) {
      out.push({
        text: raws
          .slice(i, j + 1)
          .map((r) => r.text)
          .join(""),
        start: raws[i].start,
        end: raws[j].end,
        breakBefore: raws[i].breakBefore,
        gapBefore: raws[i].gapBefore,
      });
      i = j + 1;
    } else out.push(raws[i++]);
  }
  return out;
}

/** The words of a text with every spelling a list should be matched against. */
export function wordForms(original: string): Form[] {
  const raws = joinSpelledOut(rawTokens(original));
  return raws.map((r) => {
    const spellings = new Set<string>();
    for (const reading of leetReadings(r.text)) {
      spellings.add(reading);
      // Only stretched letters are squeezed: "Assyrian" keeps its double s.
      if (/(.)\1\1/.test(reading)) spellings.add(squeeze(reading));
    }
    return { spellings: [...spellings], start: r.start, end: r.end };
  });
}

/** Two neighbouring words joined, for a space splitting a word ("fu ck", "cu nt"). */
export function joinedPairs(forms: Form[]): Form[] {
  const out: Form[] = [];
  for (let k = 0; k + 1 < forms.length; k++) {
    const a = forms[k].spellings[0];
    const b = forms[k + 1].spellings[0];
    if (a.includes(MASK) || b.includes(MASK)) continue;
    out.push({ spellings: [a + b, squeeze(a + b)], start: forms[k].start, end: forms[k + 1].end });
  }
  return out;
}

/**
 * A test of which words a masked spelling ("f*ck", "sh**") could be, built once per spelling
 * (a list is a few hundred words: one pattern for all of them, not one per word); null when
 * the spelling is no mask.
 */
export function maskedMatcher(spelling: string): ((word: string) => boolean) | null {
  if (!spelling.includes(MASK) || spelling[0] === MASK) return null;
  const letters = spelling.replace(/\*+/g, "").length;
  if (letters < 2) return null;
  const pattern = new RegExp(`^${spelling.replace(/\*+/g, (run) => `[a-z]{1,${run.length + 1}}`)}$`);
  return (word) => letters < word.length && pattern.test(word);
}

/** Whether a masked spelling ("f*ck", "sh**") could be the word. */
export function maskedMatch(spelling: string, word: string): boolean {
  return maskedMatcher(spelling)?.(word) ?? false;
}
