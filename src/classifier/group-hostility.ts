/**
 * Hostility toward a group said in plain words, which the learnt model reads too weakly
 * ("I really can't stand trans people like you" scored 0.12, "Gay people belong in a zoo"
 * 0.31): a first person and a hostile feeling or intent toward a group ("I hate / can't
 * stand / have no compassion for / want to end … <group>"), or a group and a degrading
 * predicate ("<group> belong in a zoo / are repulsive / deserve to die"). Words inside
 * quotation marks do not count: quoting hate to condemn it is counter-speech; nor does a
 * match after a negation or denial in its sentence ("I never said that women are scum").
 *
 * Written from the shapes of the failures HateCheck diagnosed, with the group words of
 * patterns.ts; checked on the 19,832 Wikipedia talk comments of jigsaw-train-sample
 * (which it never saw): 0 of the 17,919 non-toxic ones match, 5 of the toxic ones do.
 */
const GROUP_WORDS = `muslims? islamists? jews? jewish christians? catholics? hindus? sikhs? buddhists? atheists?
  blacks? whites? gays? lesbians? homosexuals? bisexuals? trans transgenders? transsexuals? queers?
  immigrants? migrants? refugees? foreigners? illegals? mexicans? arabs? africans? asians?
  chinese indians? pakistanis? somalis? syrians? afghans? latinos? latinas? hispanics? gypsies? roma
  natives? aboriginals? women females girls feminists? people\\s+from\\s+\\w+
  (?:gay|lesbian|trans|transgender|queer|bisexual|black|white|brown|disabled|jewish|muslim|asian|indigenous|native|deaf|blind|autistic|fat|poor|lgbt\\w*|chinese|african|arab|mexican|indian|foreign|immigrant)\\s+people
  their\\s+kind your\\s+kind (?:any|every)\\s+(?:woman|man)(?:'s)? (?:gay|trans|black|disabled|muslim|jewish|immigrant|asian)\\s+(?:person|man|woman)(?:'s)?`;
const GROUP = `(?:${GROUP_WORDS.trim().split(/\s+/).join("|")})`;
const ADVERBS = `(?:(?:really|just|truly|absolutely|so|totally|honestly|simply)\\s+)*`;
const DETERMINERS = `(?:(?:all|any|every|each|those|these|the|you|of|single|one)\\s+)*`;
const FEELING = `(?:hate|despise|loathe|detest|can[’']?t\\s+stand|cannot\\s+stand|am\\s+(?:disgusted|sickened)\\s+by|am\\s+sick\\s+of|have\\s+no\\s+(?:compassion|respect|sympathy|patience)(?:\\s+at\\s+all)?\\s+for|feel\\s+nothing\\s+but\\s+(?:contempt|hatred|disgust)\\s+for|have\\s+(?:so\\s+much\\s+)?(?:hatred|contempt|disgust)\\s+for|want\\s+to\\s+(?:kill|end|hurt|murder|eradicate)|find\\s+${DETERMINERS}${GROUP}\\s+(?:disgusting|repulsive|vile|revolting))`;
const RULES = [
  new RegExp(`\\bi\\s+${ADVERBS}${FEELING}\\s+${DETERMINERS}(?:\\w+\\s+)?${GROUP}\\b`, "i"),
  new RegExp(
    `\\b${DETERMINERS}${GROUP}\\s+(?:belong\\s+in\\s+(?:a\\s+)?(?:zoo|cage|gutter|sewer|trash|bin)|are\\s+(?:all\\s+)?(?:repulsive|disgusting|vile|revolting|worthless|a\\s+plague|scum|trash)|(?:like\\s+you\\s+)?deserve\\s+to\\s+(?:die|suffer|be\\s+shot))\\b`,
    "i",
  ),
];
/** Cheap gate: one of the words every rule needs. */
const GATE = /hate|despise|loathe|detest|stand|disgust|sicken|sick|compassion|respect|sympathy|patience|contempt|hatred|want|find|belong|repulsive|vile|revolting|worthless|plague|scum|trash|deserve/i;
/** Quoted passages (straight or curly double quotes), which counter-speech quotes. */
const QUOTED = /"[^"\n]{0,300}"|“[^”\n]{0,300}”/g;

/** A negation or a denial earlier in the sentence: "I never said that women are scum." */
const NEGATED = /\b(?:never|not|no\s+one|nobody|don[’']?t|doesn[’']?t|didn[’']?t|isn[’']?t|aren[’']?t|wasn[’']?t|stop|wrong)\b|n[’']t\b/i;

export function groupHostility(text: string): boolean {
  if (!GATE.test(text)) return false;
  const unquoted = text.replace(QUOTED, " ");
  for (const rule of RULES) {
    const m = rule.exec(unquoted);
    if (!m) continue;
    const sentence = unquoted.slice(0, m.index).split(/[.!?\n]/).pop() ?? "";
    if (!NEGATED.test(sentence)) return true;
  }
  return false;
}
