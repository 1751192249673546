import { DataSet, RegExpMatcher, englishDataset, englishRecommendedTransformers, parseRawPattern } from "obscenity";
import { badRequest } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import { INNOCENT_WORDS } from "../../classifier/lexicon.js";
import type { Phase } from "./types.js";
import { type Form, joinedPairs, maskedMatcher, squeeze, wordForms } from "./word-forms.js";

/** A word list ready to match: obscenity's matcher, and the plain words for the folded forms. */
interface WordList {
  matcher: RegExpMatcher;
  words: Set<string>;
  squeezed: Set<string>;
  /** Words that count inside a longer word too ("whoreface", "fuckwit"). */
  inside: string[];
  /** Longer words that contain a listed one innocently ("shitake", "dickens"). */
  innocent: string[];
}
const cache = new Map<string, WordList | null>();
const CACHE_LIMIT = 64;

// Default words that are not innocently part of English words, so a compound holding one
// is a compound of it; inflections the exact match should know.
const INSIDE = [
  "fuck",
  "shit",
  "cunt",
  "whore",
  "slut",
  "bitch",
  "nigger",
  "nigga",
  "faggot",
  "twat",
  "wank",
  "bastard",
  "jizz",
  "dildo",
  "retard",
];
const INFLECTIONS = [
  "asshole",
  "fucker",
  "fucking",
  "motherfucker",
  "shitty",
  "bitches",
  "niggers",
  "faggots",
  "cunts",
  "whores",
  "sluts",
  "bastards",
  "dickhead",
  "retarded",
  "nigga",
  "fag",
  "faggot",
];
// Innocent words obscenity's own whitelist misses ("fire retardant").
const EXTRA_INNOCENT = INNOCENT_WORDS;

function escapePattern(word: string): string {
  return word.replace(/[[\]?|\\]/g, "\\$&");
}

/**
 * The default suspect list: obscenity's swear words and slurs. Its sexual and anatomical
 * terms (sex, porn, rape, penis, …) are left to the scorer: a news site discusses rape
 * laws and sex education, and on Wikipedia talk pages those words held 1% of the comments
 * that raters found not toxic.
 */
export const DEFAULT_SUSPECT = new Set([
  "abo",
  "abeed",
  "africoon",
  "arabush",
  "arse",
  "ass",
  "bastard",
  "bitch",
  "bollocks",
  "boonga",
  "chingchong",
  "chink",
  "cock",
  "cuck",
  "cum",
  "cunt",
  "dick",
  "dyke",
  "fag",
  "fuck",
  "jizz",
  "kike",
  "nigger",
  "piss",
  "prick",
  "pussy",
  "retard",
  "shit",
  "slut",
  "spastic",
  "tranny",
  "turd",
  "twat",
  "wank",
  "whore",
]);
/**
 * The default list's slurs: these hold a comment however it is spelled and whatever the
 * scores say. The rest of the default list is swearing (see `words` below).
 */
export const DEFAULT_SLURS = new Set([
  "abo",
  "abeed",
  "africoon",
  "arabush",
  "boonga",
  "chingchong",
  "chink",
  "dyke",
  "fag",
  "kike",
  "nigger",
  "retard",
  "spastic",
  "tranny",
]);
const SLUR_FORMS = new Set(["nigga", "niggers", "faggot", "faggots", "retarded"]);

type DefaultPart = "default" | "default-slurs" | "default-swears";

function defaultList(part: DefaultPart): WordList {
  const keep = (word: string) =>
    part === "default" ? DEFAULT_SUSPECT.has(word) : DEFAULT_SUSPECT.has(word) && DEFAULT_SLURS.has(word) === (part === "default-slurs");
  const built = new DataSet<{ originalWord: string }>()
    .addAll(englishDataset)
    .removePhrasesIf((phrase) => !keep(phrase.metadata?.originalWord ?? ""))
    .build();
  const slurForm = (w: string) => DEFAULT_SLURS.has(w) || SLUR_FORMS.has(w);
  const pick = (w: string) => (part === "default" ? true : slurForm(w) === (part === "default-slurs"));
  const words = [...INFLECTIONS, ...DEFAULT_SUSPECT].filter(pick);
  return {
    matcher: new RegExpMatcher({ ...built, ...englishRecommendedTransformers }),
    words: new Set(words),
    squeezed: new Set(words.map(squeeze)),
    inside: INSIDE.filter(pick),
    innocent: [...(built.whitelistedTerms ?? []).filter((w) => /^[a-z]{4,}$/.test(w)), ...EXTRA_INNOCENT],
  };
}

/** One list per distinct setting, built once (lists are bounded by the settings schema). */
function listFor(setting: string[] | DefaultPart): WordList | null {
  const key = typeof setting === "string" ? setting : JSON.stringify(setting);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let list: WordList | null = null;
  if (typeof setting === "string") {
    list = defaultList(setting);
  } else if (setting.length > 0) {
    const dataset = new DataSet<{ word: string }>();
    for (const word of setting) {
      dataset.addPhrase((phrase) =>
        // Whole words only: a site listing "abo" does not mean "about".
        phrase.setMetadata({ word }).addPattern(parseRawPattern(`|${escapePattern(word.toLowerCase())}|`)),
      );
    }
    const words = setting.map((w) =>
      wordForms(w)
        .map((f) => f.spellings[0])
        .join(""),
    );
    list = {
      matcher: new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers }),
      words: new Set(words),
      squeezed: new Set(words.map(squeeze)),
      // Compounds ("slurface") for words long enough not to hide in ordinary ones.
      inside: words.filter((w) => w.length >= 5),
      innocent: INNOCENT_WORDS,
    };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, list);
  return list;
}

/**
 * Letters spelled out one by one ("f u c k", "s.h.i.t") joined back together.
 * Kept for callers that want the joined text; the words phase reads wordForms().
 */
export function despaced(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])(?:[\p{L}\p{N}][\s.\-_*]+){2,}[\p{L}\p{N}](?![\p{L}\p{N}])/gu, (run) =>
    run.replace(/[\s.\-_*]+/g, ""),
  );
}

// Short, common words: two of them side by side are two words, not a split one ("pen is").
const COMMON = new Set(
  "a an as at be by do go he if in is it me my no of on or so to up us we am are was his her him its our out who how why may can did for get got had has let not now off one see she the too two use way yes yet you all any big bit day end few far new old own put say set try ten lot low man men run sun top war win ask age act add ago air arm art bad bag bar bed box boy bus buy car cat cut dog due eat eye fun gas god gun hit hot job key kid law lay leg lie lip map mix mom dad net oil pay pen per pet pop pot raw red rid row sad sat sea sit six sky son tax tea tie tip toe van via vote wet".split(
    " ",
  ),
);

function spellingHit(list: WordList, spelling: string): boolean {
  if (list.words.has(spelling)) return true;
  // Stretched letters ("niggeeeer") against the squeezed list; a plain double letter is
  // not enough ("Niger" is a country).
  if (/(.)\1\1/.test(spelling) && list.squeezed.has(squeeze(spelling))) return true;
  const masked = maskedMatcher(spelling);
  if (masked) for (const word of list.words) if (masked(word)) return true;
  // The innocent words are looked for only in a spelling that holds a listed one.
  if (spelling.length > 4 && list.inside.some((word) => compoundOf(spelling, word)))
    return !list.innocent.some((w) => spelling.includes(w));
  return false;
}

/** "whoreface", "fuckwit", "motherfucker", but not "Scunthorpe": the word opens or closes a part. */
function compoundOf(spelling: string, word: string): boolean {
  const at = spelling.indexOf(word);
  return at === 0 || at >= 3 || (at > 0 && spelling.endsWith(word));
}

/** obscenity's matches, less those inside a word it does not know is innocent ("retardant"). */
function matcherHit(list: WordList, text: string): boolean {
  if (!list.matcher.hasMatch(text)) return false;
  return list.matcher.getAllMatches(text).some(({ startIndex, endIndex }) => {
    let from = startIndex;
    let to = endIndex + 1;
    while (from > 0 && /\p{L}/u.test(text[from - 1])) from--;
    while (to < text.length && /\p{L}/u.test(text[to])) to++;
    const word = text.slice(from, to).toLowerCase();
    return !EXTRA_INNOCENT.some((w) => word.includes(w));
  });
}

function listed(list: WordList | null, body: string): boolean {
  if (!list) return false;
  if (matcherHit(list, body)) return true;
  const forms = wordForms(body);
  // obscenity's patterns and word boundaries, over the folded words.
  const folded = forms.map((f) => f.spellings.filter((s) => !s.includes("*")).join(" ")).join(" ");
  if (matcherHit(list, folded)) return true;
  if (forms.some((f) => f.spellings.some((s) => spellingHit(list, s)))) return true;
  return joinedPairs(forms).some((pair, k) => splitWord(forms, k) && pair.spellings.some((s) => list.words.has(s)));
}

/** A word split by a space: both halves at least two letters, not both common words. */
function splitWord(forms: Form[], k: number): boolean {
  const a = forms[k].spellings[0];
  const b = forms[k + 1].spellings[0];
  if (a.length < 2 || b.length < 2) return false;
  return !(COMMON.has(squeeze(a)) || COMMON.has(a)) || !(COMMON.has(squeeze(b)) || COMMON.has(b));
}

/** Swear words that are ordinary English words, not disguises, though they hold a listed word. */
const PLAIN_COMPOUNDS = new Set([
  "bullshit",
  "horseshit",
  "chickenshit",
  "motherfucker",
  "motherfucking",
  "motherfuckers",
  "dumbass",
  "jackass",
  "smartass",
  "badass",
  "asshole",
  "assholes",
  "dickhead",
  "dickheads",
  "pissed",
]);

/** A listed word made into an insult ("slutface", "whorebag", "fuckwit"). */
const INSULT_COMPOUND = new RegExp(`^(?:${[...INSIDE, "dick", "cock", "ass", "prick", "piss", "turd", "cum"].join("|")})(?:face|bag|wit|head|stain|wad|nugget|brain|breath|sack)s?$`);

/**
 * Swearing in plain sight: a listed word written as a word, in any usual case, with an
 * inflection ("fuck", "FUCK", "fucked", "shitty", "bullshit"), as opposed to one found only
 * by seeing through a disguise: letters spaced or masked, look-alike or invisible characters,
 * leetspeak, aLtErNaTiNg case, stretched letters ("sluuuut") or an insult compound
 * ("slutface"), which the audit used to get past the list.
 */
function plainlyListed(list: WordList, body: string): boolean {
  for (const token of body.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (!/^(?:[a-z]+|[A-Z][a-z]*|[A-Z]+)$/.test(token)) continue;
    const word = token.toLowerCase();
    if (PLAIN_COMPOUNDS.has(word)) return true;
    if (/(.)\1\1/.test(word) || INSULT_COMPOUND.test(word)) continue;
    if (list.words.has(word) || matcherHit(list, word)) return true;
    if (word.length > 4 && !list.innocent.some((w) => word.includes(w)) && list.inside.some((w) => compoundOf(word, w)))
      return true;
  }
  return false;
}

/** What the default suspect list found in a text (the words phase and the lane tuning share it). */
export function suspectKind(body: string): "slur" | "disguised" | "swearing" | undefined {
  if (listed(listFor("default-slurs"), body)) return "slur";
  const swears = listFor("default-swears");
  if (!swears || !listed(swears, body)) return undefined;
  return plainlyListed(swears, body) ? "swearing" : "disguised";
}

const SUSPECT_REASON = { phase: "words", code: "SUSPECT_WORD", message: "Contains a word on the suspect list." };

/**
 * Banned words refuse the comment (without saying which word); suspect words hold it.
 * The default list holds a slur, and a listed word in disguise, at once. Swearing in plain
 * sight is left to the scores phase, which holds it only when toxicity agrees
 * (`swearingToxicity` of the model): "this is fucking brilliant" is not a hostile comment.
 * A site's own suspect list holds on any match, as the site asked.
 */
export const words: Phase = ({ settings, body }) => {
  if (listed(listFor(settings.bannedWords), body)) {
    throw badRequest(
      ErrorCodes.BANNED_WORD,
      "This comment contains language this site does not allow. Please rephrase it.",
    );
  }
  if (settings.suspectWords === "default") {
    const kind = suspectKind(body);
    if (kind === "swearing") return { swearing: true };
    if (kind) return { hold: true, reasons: [SUSPECT_REASON] };
    return;
  }
  if (listed(listFor(settings.suspectWords), body)) return { hold: true, reasons: [SUSPECT_REASON] };
};
