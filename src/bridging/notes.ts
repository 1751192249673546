/**
 * Reader context notes in the bridging model. Notes are rated in the same refit as comments, so a
 * reader's side of the divide is learned from all their ratings; a note is shown only when both
 * the main fit and the safety refit find it helpful across that divide (Community Notes' rule:
 * intercept ≥ 0.40 with |factor| < 0.50, after a minimum of ratings), and judged not helpful when
 * its intercept falls below −0.05 − 0.8·|factor|. Pure: the caller loads and stores.
 */
import { qualifies } from "./badges.js";
import type { SiteScores } from "./scoring.js";
import { DEFAULT_FIT_OPTIONS, type CommentScore, type Rating } from "./types.js";

export type NoteStatus = "needs_ratings" | "helpful" | "not_helpful";

/** Notes share the rating matrix with comments; their keys carry this prefix there. */
export const NOTE_KEY_PREFIX = "note:";
export const noteKey = (noteId: string): string => NOTE_KEY_PREFIX + noteId;
export const isNoteKey = (key: string): boolean => key.startsWith(NOTE_KEY_PREFIX);
export const noteIdOf = (key: string): string => key.slice(NOTE_KEY_PREFIX.length);

/** Rating values in the fit: Community Notes scores "somewhat helpful" as half. */
export const NOTE_RATING_VALUES = { helpful: 1, somewhat_helpful: 0.5, not_helpful: 0 } as const;
export type NoteRatingValue = keyof typeof NOTE_RATING_VALUES;

export interface NoteRule {
  /** Intercept to be shown (Community Notes: 0.40), and to stay shown (hysteresis, as for badges). */
  earnAt: number;
  keepAt: number;
  /** |factor| below this: not one side's favourite (Community Notes: 0.50). */
  maxFactor: number;
  keepMaxFactor: number;
  /** Helpful ratings needed from readers on each side of the divide. */
  minHelpfulPerSide: number;
  /** Not helpful when intercept < notHelpfulAt − notHelpfulSlope·|factor| (Community Notes: −0.05, 0.8). */
  notHelpfulAt: number;
  notHelpfulSlope: number;
}

export const DEFAULT_NOTE_RULE: NoteRule = {
  earnAt: 0.4,
  keepAt: 0.37,
  maxFactor: 0.5,
  keepMaxFactor: 0.55,
  minHelpfulPerSide: 2,
  notHelpfulAt: -0.05,
  notHelpfulSlope: 0.8,
};

export interface ScoredNote {
  status: NoteStatus;
  /** Undefined until the note has the minimum of ratings from counted readers. */
  score?: CommentScore;
}

/** One note's status from its scores in the main fit and the safety refit. */
export function noteStatus(
  main: CommentScore | undefined,
  safety: CommentScore | undefined | null,
  wasShown: boolean,
  rule: NoteRule = DEFAULT_NOTE_RULE,
): NoteStatus {
  if (!main) return "needs_ratings";
  const options = {
    earnAt: rule.earnAt,
    keepAt: rule.keepAt,
    maxFactor: rule.maxFactor,
    keepMaxFactor: rule.keepMaxFactor,
    minHelpfulPerSide: rule.minHelpfulPerSide,
  };
  // A null safety fit (the refit was turned off) leaves the decision to the main fit.
  if (qualifies(main, wasShown, options) && (safety === null || (safety && qualifies(safety, wasShown, options))))
    return "helpful";
  if (main.intercept < rule.notHelpfulAt - rule.notHelpfulSlope * Math.abs(main.factor)) return "not_helpful";
  return "needs_ratings";
}

/**
 * The status of every note of a refit (keys without the prefix). Notes with too few ratings are
 * absent from the fit: the caller treats a missing note as `needs_ratings`.
 */
export function scoreNotes(
  site: Pick<SiteScores, "main" | "safety">,
  previouslyShown: ReadonlySet<string>,
  rule: NoteRule = DEFAULT_NOTE_RULE,
): Map<string, ScoredNote> {
  const out = new Map<string, ScoredNote>();
  for (const [key, score] of site.main.comments) {
    if (!isNoteKey(key)) continue;
    const id = noteIdOf(key);
    const safety = site.safety ? site.safety.comments.get(key) : null;
    out.set(id, { status: noteStatus(score, safety, previouslyShown.has(id), rule), score });
  }
  return out;
}

/**
 * The note ratings that enter the fit: from readers who have rated at least `minCommentRatings`
 * comments. A reader's side of the divide is learned from their comment ratings; an account
 * with next to none (new, or made to promote one note) would otherwise be placed wherever its
 * note ratings look most like agreement across the divide. A brigade of 500 fresh accounts with
 * three ratings of comments each got one of ten partisan notes shown without this rule
 * (`npm run eval:bridging`, notes scenario).
 */
export function noteRatingsFromEstablishedReaders<R extends { readerId: string }>(
  commentRatings: readonly Pick<Rating, "readerId">[],
  noteRatings: readonly R[],
  minCommentRatings: number = DEFAULT_FIT_OPTIONS.minReaderRatings,
): R[] {
  const counts = new Map<string, number>();
  for (const r of commentRatings) counts.set(r.readerId, (counts.get(r.readerId) ?? 0) + 1);
  return noteRatings.filter((r) => (counts.get(r.readerId) ?? 0) >= minCommentRatings);
}
