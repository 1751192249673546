/**
 * The training corpus: which rows of which dataset teach which category, and with what
 * weight. Held-out rows (Davidson 20%, 3 Fox threads, 20% of Stormfront posts) and the
 * Jigsaw evaluation files are never used here.
 */
import { analyse } from "../normalize.js";
import { lookupToken } from "../lexicon.js";
import {
  type Example,
  type Labels,
  foxTestThreads,
  inShare,
  loadDavidson,
  loadFox,
  loadStormfront,
  loadToxicSpans,
  loadYoutube,
  sentences,
} from "./data.js";
import { projectSentences } from "./extra.js";
import { loadConvAbuse, loadHateXplain, loadJigsawSample, loadToxigenSeeds } from "./more.js";

/** Swearing in obscenity's list; its sexual and anatomical terms alone are not profanity. */
const SWEARS = new Set([
  "fuck",
  "shit",
  "ass",
  "bitch",
  "bastard",
  "cunt",
  "dick",
  "cock",
  "piss",
  "prick",
  "pussy",
  "twat",
  "wank",
  "whore",
  "slut",
  "bollocks",
  "arse",
  "turd",
  "jizz",
  "cum",
  "retard",
  "fag",
  "nigger",
  "dyke",
  "tranny",
]);
const INSULT_WORDS =
  /\b(?:idiot|moron|stupid|dumb|fool|imbecile|loser|clown|troll|ignorant|pathetic|retard|jerk|scum|trash|garbage|cretin|dimwit|halfwit|nitwit|liar|hypocrite|coward|pig|sheep|snowflake|brainless|clueless|worthless|useless|degenerate|lowlife|asshole|bastard|bitch|prick|dick|douche|nutjob|lunatic|loon|freak|creep|idiotic|moronic|ignoramus|buffoon|twit|hack|thug|crook|traitor|sucker|wimp)/i;
const THREAT_WORDS =
  /\b(?:kill|shoot|shot|stab|hang|hanged|lynch|murder|die|dead|bullet|execute|beat|burn|punch|choke|strangle|behead|gun)/i;

export const SPLIT_SEED_OFFSET = 0;

export function profanityLabel(text: string): number {
  for (const t of analyse(text).tokens) {
    const e = lookupToken(t.text);
    if (e && SWEARS.has(e.word)) return 1;
  }
  return 0;
}

/**
 * Wikipedia talk comments teach spam what a long, civil comment citing pages, dates and
 * sources looks like; chosen on the YouTube folds and the validation split (see docs).
 */
let wikiSpamWeight = 0;

function ex(text: string, source: string, group: string, labels: Labels, weight = 1, context?: string): Example {
  // Spam is learnt from YouTube and the project's lines only. News texts taught as "not
  // spam" made the model tell YouTube from news instead of spam from ham (held-out-video
  // AUC 0.86–0.97 with weight 0.15, 0.96–0.99 without); they stay labelled "not spam" so
  // that the threshold is chosen against them on the validation split.
  const spamWeight = source === "youtube" || source === "project" ? 1 : source === "jigsaw" ? wikiSpamWeight / weight : 0;
  return {
    text,
    source,
    group,
    labels: { profanity: profanityLabel(text), spam: 0, ...labels },
    weight,
    categoryWeight: { spam: spamWeight },
    ...(context ? { context } : {}),
  };
}

export interface CorpusOptions {
  seed: number;
  /** Leave these YouTube videos out (leave-one-video-out evaluation). */
  excludeVideos?: string[];
  /**
   * Train on Stormfront's 80% (the default). Its licence is CC BY-SA 3.0 ES; leaving it
   * out was measured and costs too much to do by default (docs/CLASSIFIER.md).
   */
  stormfront?: boolean;
  /** Train on jigsaw-train-sample, HateXplain, ConvAbuse and ToxiGen seeds (the default). */
  moreData?: boolean;
  /** Weight of the Wikipedia comments as spam negatives (0 by default: 0.05 already cost 0.02–0.04 AUC on two held-out YouTube videos). */
  wikiSpamWeight?: number;
}

export function buildCorpus(dir: string, opts: CorpusOptions): Example[] {
  const out: Example[] = [];
  const { seed } = opts;
  wikiSpamWeight = opts.wikiSpamWeight ?? 0;

  for (const r of loadToxicSpans(dir)) {
    const g = `ts:${r.id}`;
    const spanSet = new Set(r.spans);
    const spanText = r.spans.length
      ? r.text
          .split("")
          .filter((_, k) => spanSet.has(k))
          .join("")
      : "";
    const insult = INSULT_WORDS.test(spanText) ? 1 : undefined;
    const threat = THREAT_WORDS.test(spanText) ? 1 : 0;
    out.push(ex(r.text, "toxic-spans", g, { toxicity: 1, insult, threat }, 0.5));
    if (r.spans.length === 0) continue;
    // The sentences holding no span, joined, are a comment-length in-domain negative.
    let clean = "";
    let cleanCount = 0;
    for (const s of sentences(r.text)) {
      if (s.end - s.start < 15) continue;
      const text = r.text.slice(s.start, s.end);
      let hit = "";
      for (let k = s.start; k < s.end; k++) if (spanSet.has(k)) hit += r.text[k];
      if (hit.trim().length === 0) {
        out.push(ex(text, "toxic-spans-clean", g, { toxicity: 0, insult: 0, threat: 0, identityAttack: 0 }));
        clean += (clean ? " " : "") + text;
        cleanCount++;
      } else {
        const ins = INSULT_WORDS.test(hit) ? 1 : undefined;
        out.push(ex(text, "toxic-spans-span", g, { toxicity: 1, insult: ins, threat: THREAT_WORDS.test(hit) ? 1 : 0 }));
      }
    }
    if (cleanCount >= 2) out.push(ex(clean, "toxic-spans-clean-joined", g, { toxicity: 0, insult: 0, threat: 0, identityAttack: 0 }, 0.5));
  }

  for (const r of loadDavidson(dir, seed)) {
    if (r.test) continue;
    const g = `dv:${out.length}`;
    if (r.cls === 2) out.push(ex(r.text, "davidson", g, { toxicity: 0, insult: 0, identityAttack: 0, threat: 0 }));
    else out.push(ex(r.text, "davidson", g, { toxicity: 1, identityAttack: r.cls === 0 ? 1 : 0 }, 0.5));
  }

  const fox = loadFox(dir);
  const foxTest = foxTestThreads(fox, seed);
  for (const r of fox) {
    if (foxTest.has(r.thread)) continue;
    const labels: Labels = r.hateful
      ? { toxicity: 1, identityAttack: 1 }
      : { toxicity: 0, identityAttack: 0, insult: 0, threat: 0 };
    out.push(ex(r.text, "fox", `fox:${r.thread}`, labels, r.hateful ? 0.7 : 1, r.prev || r.thread));
  }

  for (const r of opts.stormfront === false ? [] : loadStormfront(dir)) {
    if (inShare(r.post, seed, 0.2)) continue;
    const labels: Labels = r.hate
      ? { toxicity: 1, identityAttack: 1 }
      : { toxicity: 0, identityAttack: 0, insult: 0, threat: 0 };
    out.push(ex(r.text, "stormfront", `sf:${r.post}`, labels, 0.7));
  }

  for (const r of loadYoutube(dir)) {
    if (opts.excludeVideos?.includes(r.video)) continue;
    out.push(
      ex(r.text, "youtube", `yt:${r.video}:${out.length}`, {
        spam: r.spam,
        toxicity: 0,
        insult: 0,
        identityAttack: 0,
        threat: 0,
      }),
    );
  }

  const clean: Labels = { toxicity: 0, insult: 0, identityAttack: 0, threat: 0 };
  if (opts.moreData !== false) {
    // Wikipedia talk comments: the in-domain negatives (long, civil, citing sources) the
    // other sets lack.
    for (const r of loadJigsawSample(dir))
      out.push(ex(r.text, "jigsaw", `jg:${r.id}`, r.toxic ? { toxicity: 1 } : clean));
    // Lower-cased and stripped of punctuation upstream, so it counts for less.
    for (const r of loadHateXplain(dir)) {
      if (r.split === "test" || r.category === 3) continue;
      const labels: Labels =
        r.category === 0 ? clean : r.category === 1 ? { toxicity: 1, identityAttack: 1 } : { toxicity: 1, identityAttack: 0 };
      out.push(ex(r.text, "hatexplain", `hx:${r.id}`, labels, 0.5));
    }
    for (const r of loadConvAbuse(dir)) {
      if (r.split === "test") continue;
      out.push(ex(r.text, "convabuse", `ca:${r.id.split(":")[0]}`, r.abusive ? { toxicity: 1 } : clean, 1, r.context.join("\n")));
    }
    for (const [k, r] of loadToxigenSeeds(dir).entries())
      out.push(ex(r.text, "toxigen", `tg:${r.group}:${k}`, r.hate ? { toxicity: 1, identityAttack: 1 } : clean));
  }

  projectSentences().forEach((s, k) => out.push(ex(s.text, "project", `pj:${k}`, s.labels, 2)));
  return out;
}

/** Groups held out from the training corpus to choose thresholds. */
export function isValidation(e: Example, seed: number): boolean {
  return inShare(e.group, seed + 7, 0.1);
}
