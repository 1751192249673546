/**
 * Hand-written patterns for Parley: second-person insults, threats, group-directed
 * attacks and spam phrasing. They run on the normalised token text (lower case, no
 * apostrophes, "__url__" for links), so "You're a m0r0n" reads "youre a moron".
 * Each hit becomes a model feature and, for the moderator UI, a span.
 */
import type { ScoreCategory } from "./types.js";

export interface PatternRule {
  id: string;
  category: ScoreCategory;
  re: RegExp;
}

const alt = (words: string) => `(?:${words.trim().split(/\s+/).join("|")})`;

/**
 * The whole words one of which any match of an alternation must contain: "idiots?" gives
 * idiot and idiots; "piece\\s+of\\s+\\w+" gives piece; "a\\s+cancer" gives cancer.
 */
function keywordsOf(source: string): string[] {
  return source.trim().split(/\s+/).flatMap((item) => {
    const words = item.split("\\s+").filter((w) => w !== "\\w+");
    const word = words.length > 1 && words[0] !== "piece" && words[0] !== "waste" ? words[words.length - 1] : words[0];
    return word.endsWith("s?") ? [word.slice(0, -2), word.slice(0, -1)] : [word];
  });
}

const INSULT_WORDS = `
  idiots? idiotic morons? moronic stupid stupidity dumb dumbass dumbasses fools? foolish
  imbeciles? losers? clowns? trolls? ignorant pathetic retards? retarded jerks? scum scumbags?
  trash garbage cretins? dimwits? halfwits? nitwits? twits? dolts? dunces? buffoons? liars?
  hypocrites? cowards? pigs? sheep sheeple snowflakes? brainless clueless worthless useless
  degenerates? lowlifes? simpletons? numbskulls? boneheads? airheads? assholes? bastards?
  bitch bitches pricks? dicks? douche douchebags? piece\\s+of\\s+\\w+ waste\\s+of\\s+\\w+
  nutjobs? nutcases? lunatics? maniacs? freaks? creeps? sickos? perverts? parasites? vermin
  animals? subhuman uneducated illiterate incompetent disgrace disgusting ugly fat hack shills?
  bots? traitors? thugs? goons? hillbillies? rednecks? wankers? twats? tossers? muppets? plonkers?`;
const INSULT = alt(INSULT_WORDS);
const INTENSIFIER = alt(`such a an so the just really truly absolutely complete completely total totally
  fucking fuckin freaking bloody damn utter utterly one big little real obviously clearly
  nothing but no more than stupid pathetic sad sorry`);
const YOU = alt("you u ya youre ur yall");

const GROUP_WORDS = `
  muslims? islamists? jews? jewish christians? catholics? hindus? sikhs? buddhists? atheists?
  blacks? whites? gays? lesbians? homosexuals? bisexuals? trans transgenders? transsexuals? queers?
  immigrants? migrants? refugees? foreigners? aliens? illegals? mexicans? arabs? africans? asians?
  chinese indians? pakistanis? somalis? syrians? afghans? latinos? latinas? hispanics? gypsies? roma
  natives? aboriginals? women females girls feminists? norwegians? germans? french russians? poles?
  \\w+\\s+people people\\s+from\\s+\\w+ these\\s+people those\\s+people their\\s+kind your\\s+kind`;
const GROUP = alt(GROUP_WORDS);
const DEHUMANISING_WORDS = `
  subhuman subhumans sub\\s+human animals? vermin parasites? savages? cockroaches? rats? filth
  filthy scum disease diseased cancer plague inferior barbarians? barbaric primitive invaders?
  terrorists? criminals? rapists? pedophiles? paedophiles? disgusting pigs? dogs? monkeys? apes?
  trash garbage lesser evil dirty backward breeders? leeches? infestation not\\s+human
  less\\s+than\\s+human a\\s+cancer a\\s+disease a\\s+plague the\\s+problem a\\s+threat`;
const DEHUMANISING = alt(DEHUMANISING_WORDS);
const HARM_WORDS = `deported exterminated wiped\\s+out gassed removed banned expelled shot killed
  hanged hung lynched executed sterilized sterilised locked\\s+up kicked\\s+out thrown\\s+out
  burned burnt eradicated eliminated purged`;
const HARM = alt(HARM_WORDS);
/**
 * The harms that make "X should be …" a threat whoever X is. Removal words ("removed",
 * "banned", "locked up", "executed", "eliminated") are threats only said of a group
 * (group-should-go): on Wikipedia talk "this paragraph should be removed" and "he should be
 * banned" are ordinary, and were held as threats.
 */
const VIOLENT_HARM_WORDS = `exterminated wiped\\s+out gassed shot killed hanged hung lynched sterilized sterilised`;
const VIOLENT_HARM = alt(VIOLENT_HARM_WORDS);
const VIOLENT_VERB_WORDS = `kill shoot stab hurt beat murder strangle burn punch smash
  hunt hang lynch execute gut slit choke drown behead`;
const VIOLENT_VERB = alt(VIOLENT_VERB_WORDS);

const RULES: Array<[string, ScoreCategory, string]> = [
  // Insults aimed at the reader being answered.
  ["you-are-insult", "insult", `\\b${YOU}(?:\\s+(?:are|r|is|re))?(?:\\s+${INTENSIFIER})*\\s+${INSULT}\\b`],
  ["insult-like-you", "insult", `\\b${INSULT}\\s+like\\s+(?:you|u)\\b`],
  ["your-insult", "insult", `\\b(?:your|ur)\\s+(?:\\w+\\s+)?(?:${INSULT}|ignorance|idiocy|brain\\s+cell)\\b`],
  ["you-people", "insult", `\\b(?:you|u)\\s+people\\b`],
  ["shut-up", "insult", `\\b(?:shut\\s+(?:up|the\\s+fuck\\s+up|your\\s+(?:mouth|trap|face))|stfu|gtfo)\\b`],
  [
    "go-away",
    "insult",
    `\\b(?:go\\s+(?:to\\s+hell|fuck\\s+(?:yourself|off)|screw\\s+yourself)|get\\s+a\\s+(?:brain|life|clue)|eat\\s+shit)\\b`,
  ],
  ["nobody-asked", "insult", `\\b(?:no\\s?one|nobody)\\s+(?:cares|asked)\\b`],
  ["are-insult", "insult", `\\b(?:are|is)(?:\\s+${INTENSIFIER})*\\s+(?:an?\\s+)?(?:${INSULT})\\b`],
  // Threats of violence against a person.
  [
    "will-harm",
    "threat",
    `\\b(?:i|ill|we|well|im|were)\\s+(?:will\\s+|am\\s+|are\\s+|gonna\\s+|going\\s+to\\s+|gon\\s+)*(?:\\w+\\s+){0,2}${VIOLENT_VERB}\\s+(?:you|u|him|her|them|your|ya|yall|every)\\b`,
  ],
  [
    "should-be-harmed",
    "threat",
    `\\b(?:should|ought\\s+to|deserves?\\s+to|needs?\\s+to|must|to)\\s+(?:all\\s+)?(?:be|get)\\s+(?:${VIOLENT_HARM}|shot\\s+dead|strung\\s+up|beaten|stabbed|put\\s+down)\\b`,
  ],
  ["bullet", "threat", `\\b(?:bullet|bullets|round|rounds)\\s+(?:in|into|through|between)\\b`],
  [
    "hope-die",
    "threat",
    `\\b(?:hope|wish|pray)\\s+(?:you|u|he|she|they|your)\\s+(?:\\w+\\s+)?(?:die|dies|get\\s+killed|gets\\s+killed|burn|burns|rot|rots|get\\s+shot|gets\\s+shot|get\\s+raped|gets\\s+raped|get\\s+cancer|choke|chokes|suffer)\\b`,
  ],
  [
    "kill-them",
    "threat",
    `\\b${VIOLENT_VERB}\\s+(?:him|her|them|you|u|em|all\\s+of\\s+them|them\\s+all|every\\s+one\\s+of\\s+them|the\\s+lot)\\b`,
  ],
  ["kill-yourself", "threat", `\\b(?:kill|hang|shoot)\\s+(?:yourself|urself|yourselves)\\b|\\bkys\\b`],
  [
    "dead-man",
    "threat",
    `\\b(?:youre|you\\s+are|ur)\\s+(?:dead|going\\s+to\\s+die|gonna\\s+die|next)\\b|\\bwatch\\s+your\\s+back\\b|\\bi\\s+know\\s+where\\s+you\\s+live\\b`,
  ],
  [
    "someone-should",
    "threat",
    `\\b(?:someone|somebody|people|they|we)\\s+(?:should|ought\\s+to|needs?\\s+to|must|has\\s+to)\\s+(?:just\\s+)?(?:${VIOLENT_VERB}|take\\s+out|put\\s+down|string\\s+up|put\\s+a\\s+bullet)\\b`,
  ],
  // Attacks on a group for who they are.
  [
    "group-is-vermin",
    "identityAttack",
    `\\b(?:all\\s+)?${GROUP}\\s+(?:are|is|r|were)\\s+(?:(?:all|just|nothing|but|a|bunch|pack|of|such|so|the|like|simply|basically|literally|fucking|dirty|filthy)\\s+)*${DEHUMANISING}\\b`,
  ],
  [
    "dirty-group",
    "identityAttack",
    `\\b(?:dirty|filthy|stinking|stinky|bloody|damn|fucking|disgusting|subhuman|savage)\\s+${GROUP}\\b`,
  ],
  [
    "send-back",
    "identityAttack",
    `\\b(?:send|ship|deport|kick|throw)\\s+(?:them|em|these|those|all)(?:\\s+\\w+)?\\s+(?:all\\s+)?(?:back|out|home)\\b|\\bgo\\s+back\\s+to\\s+(?:your|their|where|africa|mexico|the\\s+desert)\\b`,
  ],
  [
    "hate-group",
    "identityAttack",
    `\\bi\\s+(?:hate|despise|loathe|cant\\s+stand)\\s+(?:all\\s+)?(?:the\\s+)?${GROUP}\\b`,
  ],
  [
    "group-should-go",
    "identityAttack",
    `\\b${GROUP}\\s+(?:should|must|need\\s+to|ought\\s+to)\\s+(?:all\\s+)?(?:be|get|go)\\s+(?:${HARM}|back|home|away)\\b`,
  ],
  [
    "remove-group",
    "identityAttack",
    `\\b(?:exterminate|deport|wipe\\s+out|gas|ban|kick\\s+out|get\\s+rid\\s+of|eradicate)\\s+(?:all\\s+)?(?:the\\s+|these\\s+|those\\s+)?${GROUP}\\b`,
  ],
  [
    "group-infest",
    "identityAttack",
    `\\b${GROUP}\\s+(?:infest|invade|breed\\s+like|ruin|destroy|are\\s+ruining|are\\s+destroying|are\\s+invading)\\b`,
  ],
  // Spam phrasing.
  [
    "check-my",
    "spam",
    `\\b(?:check\\s+out|subscribe\\s+to|visit|go\\s+to|look\\s+at)\\s+(?:my|our|this)\\s+(?:new\\s+)?(?:channel|page|site|website|video|videos|blog|profile|music|song)\\b`,
  ],
  [
    "subscribe",
    "spam",
    `\\b(?:subscribe|subscribers|subscribed|sub4sub|follow\\s+me|like\\s+and\\s+share|please\\s+like|thumbs\\s+up\\s+if)\\b`,
  ],
  [
    "money",
    "spam",
    `\\b(?:earn|make|making|win|won|get)\\s+(?:up\\s+to\\s+)?(?:0+|money|cash|free|extra)\\b|\\b(?:per|a)\\s+(?:week|day|hour|month)\\s+(?:from|at)\\s+home\\b|\\b(?:from|at)\\s+home\\b`,
  ],
  [
    "promo",
    "spam",
    `\\b(?:click\\s+(?:here|the\\s+link|this)|free\\s+(?:gift|money|iphone|followers|giftcard|gift\\s+card)|limited\\s+offer|promo\\s+code|discount|giveaway|bitcoin|crypto|casino|viagra|loan)\\b`,
  ],
  ["url-cta", "spam", `\\b(?:visit|see|check|at|go\\s+to|click)\\s+__url__`],
];

/**
 * Per rule, the words one of which every match contains: a rule runs only when one of
 * them is among the comment's words, which spares most comments most regexes.
 */
const KEYWORDS: Record<string, string[]> = {
  "you-are-insult": keywordsOf(INSULT_WORDS),
  "insult-like-you": keywordsOf(INSULT_WORDS),
  "your-insult": [...keywordsOf(INSULT_WORDS), "ignorance", "idiocy", "brain"],
  "you-people": ["people"],
  "shut-up": ["shut", "stfu", "gtfo"],
  "go-away": ["go", "get", "eat"],
  "nobody-asked": ["cares", "asked"],
  "are-insult": keywordsOf(INSULT_WORDS),
  "will-harm": keywordsOf(VIOLENT_VERB_WORDS),
  "should-be-harmed": [...keywordsOf(VIOLENT_HARM_WORDS), "shot", "strung", "beaten", "stabbed", "put"],
  bullet: ["bullet", "bullets", "round", "rounds"],
  "hope-die": ["hope", "wish", "pray"],
  "kill-them": keywordsOf(VIOLENT_VERB_WORDS),
  "kill-yourself": ["kill", "hang", "shoot", "kys"],
  "dead-man": ["dead", "die", "next", "watch", "live"],
  "someone-should": [...keywordsOf(VIOLENT_VERB_WORDS), "take", "put", "string"],
  "group-is-vermin": keywordsOf(DEHUMANISING_WORDS),
  "dirty-group": ["dirty", "filthy", "stinking", "stinky", "bloody", "damn", "fucking", "disgusting", "subhuman", "savage"],
  "send-back": ["send", "ship", "deport", "kick", "throw", "go"],
  "hate-group": ["hate", "despise", "loathe", "cant"],
  "group-should-go": [...keywordsOf(HARM_WORDS), "back", "home", "away"],
  "remove-group": ["exterminate", "deport", "wipe", "gas", "ban", "kick", "get", "eradicate"],
  "group-infest": ["infest", "invade", "breed", "ruin", "destroy", "ruining", "destroying", "invading"],
  "check-my": ["check", "subscribe", "visit", "go", "look"],
  subscribe: ["subscribe", "subscribers", "subscribed", "sub4sub", "follow", "share", "please", "thumbs"],
  money: ["earn", "make", "making", "win", "won", "get", "home"],
  promo: ["click", "free", "limited", "promo", "discount", "giveaway", "bitcoin", "crypto", "casino", "viagra", "loan"],
  "url-cta": ["__url__"],
};

/**
 * Per rule, a second list one of whose words every match also contains. A rule runs only
 * when the comment has a word of each list: insult words are common in a heated thread,
 * "you are" or "like you" next to one much less so.
 */
const PARTNERS: Record<string, string[]> = {
  "you-are-insult": ["you", "u", "ya", "youre", "ur", "yall"],
  "insult-like-you": ["like"],
  "your-insult": ["your", "ur"],
  "are-insult": ["are", "is"],
  "you-people": ["you", "u"],
  "go-away": ["hell", "fuck", "yourself", "brain", "life", "clue", "shit"],
  "group-should-go": ["should", "must", "need", "ought"],
  "remove-group": keywordsOf(GROUP_WORDS),
  "check-my": ["channel", "page", "site", "website", "video", "videos", "blog", "profile", "music", "song"],
};

export const PATTERN_RULES: PatternRule[] = RULES.map(([id, category, src]) => ({
  id,
  category,
  re: new RegExp(src, "g"),
}));

if (PATTERN_RULES.length > 31) throw new Error("rule masks hold at most 31 rules");
/** For each keyword, a bit mask of the rules it lets run (bit i = PATTERN_RULES[i]). */
const RULES_BY_KEYWORD = new Map<string, number>();
PATTERN_RULES.forEach((rule, i) => {
  const words = KEYWORDS[rule.id];
  if (!words) throw new Error(`pattern ${rule.id} has no keywords`);
  for (const w of words) RULES_BY_KEYWORD.set(w, (RULES_BY_KEYWORD.get(w) ?? 0) | (1 << i));
});
const RULES_BY_PARTNER = new Map<string, number>();
let PARTNERLESS = 0;
PATTERN_RULES.forEach((rule, i) => {
  const words = PARTNERS[rule.id];
  if (!words) PARTNERLESS |= 1 << i;
  for (const w of words ?? []) RULES_BY_PARTNER.set(w, (RULES_BY_PARTNER.get(w) ?? 0) | (1 << i));
});
const WORD_RUN = /[a-z0-9_]+/g;

/** The rules whose keywords a piece of normalised text holds, as a bit mask. */
export function keywordMask(text: string): number {
  let mask = 0;
  for (const word of text.match(WORD_RUN) ?? []) mask |= RULES_BY_KEYWORD.get(word) ?? 0;
  return mask;
}

/** The rules whose partner words a piece of normalised text holds, as a bit mask. */
export function partnerMask(text: string): number {
  let mask = 0;
  for (const word of text.match(WORD_RUN) ?? []) mask |= RULES_BY_PARTNER.get(word) ?? 0;
  return mask;
}

/** The rules that can match text holding these keywords and partner words. */
export const runnableRules = (keywords: number, partners: number): number => keywords & (partners | PARTNERLESS);

/** The rules a piece of normalised text lets run, as a bit mask (0: none). */
export function ruleMask(text: string): number {
  return runnableRules(keywordMask(text), partnerMask(text));
}

export const EVERY_RULE = (1 << PATTERN_RULES.length) - 1;

export interface PatternHit {
  rule: PatternRule;
  /** Character range in the joined token text. */
  from: number;
  to: number;
}

/**
 * All hits in the joined token text, for the rules in `mask` (by default the rules whose
 * keywords occur in the text; a rule without one of its keywords cannot match).
 */
export function matchPatterns(joined: string, mask = ruleMask(joined)): PatternHit[] {
  const hits: PatternHit[] = [];
  if (mask === 0) return hits;
  for (let i = 0; i < PATTERN_RULES.length; i++) {
    if ((mask & (1 << i)) === 0) continue;
    const rule = PATTERN_RULES[i];
    rule.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.re.exec(joined)) !== null) {
      hits.push({ rule, from: m.index, to: m.index + m[0].length });
      if (m[0].length === 0) rule.re.lastIndex++;
    }
  }
  return hits;
}
