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

const INSULT = alt(`
  idiots? idiotic morons? moronic stupid stupidity dumb dumbass dumbasses fools? foolish
  imbeciles? losers? clowns? trolls? ignorant pathetic retards? retarded jerks? scum scumbags?
  trash garbage cretins? dimwits? halfwits? nitwits? twits? dolts? dunces? buffoons? liars?
  hypocrites? cowards? pigs? sheep sheeple snowflakes? brainless clueless worthless useless
  degenerates? lowlifes? simpletons? numbskulls? boneheads? airheads? assholes? bastards?
  bitch bitches pricks? dicks? douche douchebags? piece\\s+of\\s+\\w+ waste\\s+of\\s+\\w+
  nutjobs? nutcases? lunatics? maniacs? freaks? creeps? sickos? perverts? parasites? vermin
  animals? subhuman uneducated illiterate incompetent disgrace disgusting ugly fat hack shills?
  bots? traitors? thugs? goons? hillbillies? rednecks? wankers? twats? tossers? muppets? plonkers?`);
const INTENSIFIER = alt(`such a an so the just really truly absolutely complete completely total totally
  fucking fuckin freaking bloody damn utter utterly one big little real obviously clearly
  nothing but no more than stupid pathetic sad sorry`);
const YOU = alt("you u ya youre ur yall");

const GROUP = alt(`
  muslims? islamists? jews? jewish christians? catholics? hindus? sikhs? buddhists? atheists?
  blacks? whites? gays? lesbians? homosexuals? bisexuals? trans transgenders? transsexuals? queers?
  immigrants? migrants? refugees? foreigners? aliens? illegals? mexicans? arabs? africans? asians?
  chinese indians? pakistanis? somalis? syrians? afghans? latinos? latinas? hispanics? gypsies? roma
  natives? aboriginals? women females girls feminists? norwegians? germans? french russians? poles?
  \\w+\\s+people people\\s+from\\s+\\w+ these\\s+people those\\s+people their\\s+kind your\\s+kind`);
const DEHUMANISING = alt(`
  subhuman subhumans sub\\s+human animals? vermin parasites? savages? cockroaches? rats? filth
  filthy scum disease diseased cancer plague inferior barbarians? barbaric primitive invaders?
  terrorists? criminals? rapists? pedophiles? paedophiles? disgusting pigs? dogs? monkeys? apes?
  trash garbage lesser evil dirty backward breeders? leeches? infestation not\\s+human
  less\\s+than\\s+human a\\s+cancer a\\s+disease a\\s+plague the\\s+problem a\\s+threat`);
const HARM = alt(`deported exterminated wiped\\s+out gassed removed banned expelled shot killed
  hanged hung lynched executed sterilized sterilised locked\\s+up kicked\\s+out thrown\\s+out
  burned burnt eradicated eliminated purged`);
const VIOLENT_VERB = alt(`kill shoot stab hurt beat murder strangle burn punch smash destroy end
  hunt hang lynch execute gut slit choke drown behead`);

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
    `\\b(?:should|ought\\s+to|deserves?\\s+to|needs?\\s+to|must|to)\\s+(?:all\\s+)?(?:be|get)\\s+(?:${HARM}|shot\\s+dead|strung\\s+up|beaten|stabbed|put\\s+down)\\b`,
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

export const PATTERN_RULES: PatternRule[] = RULES.map(([id, category, src]) => ({
  id,
  category,
  re: new RegExp(src, "g"),
}));

export interface PatternHit {
  rule: PatternRule;
  /** Character range in the joined token text. */
  from: number;
  to: number;
}

export function matchPatterns(joined: string): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const rule of PATTERN_RULES) {
    rule.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.re.exec(joined)) !== null) {
      hits.push({ rule, from: m.index, to: m.index + m[0].length });
      if (m[0].length === 0) rule.re.lastIndex++;
    }
  }
  return hits;
}
