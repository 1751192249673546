/**
 * One refit of a site, end to end: weights (history, sock puppets) → main fit → safety refit
 * without the most active raters → badges with hysteresis. Pure: the caller loads the ratings
 * and the previous badges, and stores what comes back.
 */
import { decideBadges, type BadgeOptions } from "./badges.js";
import { indexRatings, type RatingMatrix } from "./matrix.js";
import { fitMatrix, toFitResult } from "./model.js";
import { readerWeights, type WeightOptions } from "./puppets.js";
import { SAFETY_SHARE, safetyRefit } from "./safety.js";
import { DEFAULT_FIT_OPTIONS, type CommentScore, type FitOptions, type FitResult, type Rating } from "./types.js";

export interface ScoreSiteInput {
  /** Every counted rating of the site (new accounts' ratings already left out by the caller). */
  ratings: readonly Rating[] | RatingMatrix;
  /** Comment ids that held the badge after the previous refit. */
  previousBadges?: ReadonlySet<string>;
  fit?: Partial<FitOptions>;
  weights?: Partial<WeightOptions>;
  badges?: Partial<BadgeOptions>;
  /** Share of the most active readers left out of the safety refit; 0 turns the safety refit off. */
  safetyShare?: number;
}

export interface ScoredComment extends CommentScore {
  badge: boolean;
}

export interface SiteScores {
  /** The main fit's readers and μ: keep them for `scoreComments` between refits. */
  main: FitResult;
  safety: FitResult | null;
  /** What to store on each scored comment. */
  comments: Map<string, ScoredComment>;
  badges: Set<string>;
  puppetRings: number;
  readersInRings: number;
  readersLeftOutOfSafety: number;
}

export function scoreSite(input: ScoreSiteInput): SiteScores {
  const m = "reader" in input.ratings ? input.ratings : indexRatings(input.ratings);
  const fitOptions = { ...input.fit };
  const minReaderRatings = fitOptions.minReaderRatings ?? DEFAULT_FIT_OPTIONS.minReaderRatings;
  const weights = readerWeights(m, { minReaderRatings, ...input.weights });
  const main = toFitResult(m, fitMatrix(m, fitOptions, weights.weight));
  const share = input.safetyShare ?? SAFETY_SHARE;
  let safety: FitResult | null = null;
  let left = 0;
  if (share > 0) {
    const refit = safetyRefit(m, weights.weight, fitOptions, share);
    safety = toFitResult(refit.matrix, refit.fit);
    left = refit.left;
  }
  const badges = decideBadges({ main, safety, previous: input.previousBadges ?? new Set(), options: input.badges });
  const comments = new Map<string, ScoredComment>();
  for (const [id, score] of main.comments) comments.set(id, { ...score, badge: badges.has(id) });
  return {
    main,
    safety,
    comments,
    badges,
    puppetRings: weights.rings,
    readersInRings: weights.readersInRings,
    readersLeftOutOfSafety: left,
  };
}
