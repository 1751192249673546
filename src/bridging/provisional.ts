/**
 * `sort=best` orders by `bridge_rank`: the model's lower bound once a comment has enough
 * ratings, -1000 while it has none. In between (rated, but too few ratings for the model, or
 * no refit yet on this node) a comment gets a provisional rank, so that one readers found
 * helpful never sinks below comments nobody has rated:
 *
 *   scored (lower bounds, far above -400)  >  rated helpful across the divide  >  rated helpful
 *   >  unrated (-1000)  =  rated, but not found helpful on balance.
 */
import type { Deps } from "../deps.js";
import { invalidateStory } from "../comments/page-cache.js";
import { bridgeRankOf, countingRatingsOf, setProvisionalRank } from "./store.js";
import type { FitResult } from "./types.js";

export const UNRATED_RANK = -1000;
/** Ranks from here up to -400 are provisional (no model score yet); every model score is above. */
export const PROVISIONAL_BASE = -500;
export const SCORED_ABOVE = -400;

/**
 * The provisional rank of an unscored comment from the ratings that count (readers who have
 * published a comment themselves). `factorOf` gives a rater's side of the divide from the last
 * refit, when there was one.
 */
export function provisionalRank(
  ratings: readonly { userId: string; helpful: boolean }[],
  factorOf: (userId: string) => number | undefined,
): number {
  const helpful = ratings.filter((r) => r.helpful);
  const net = helpful.length - (ratings.length - helpful.length);
  if (net <= 0) return UNRATED_RANK;
  // The share of helpful ratings, smoothed, orders comments within a band.
  const share = helpful.length / (ratings.length + 1);
  const sides = new Set(helpful.map((r) => Math.sign(factorOf(r.userId) ?? 0)).filter((s) => s !== 0));
  const acrossTheDivide = sides.size === 2;
  return PROVISIONAL_BASE + (acrossTheDivide ? 50 : 0) + share * 40;
}

/** Recomputes a comment's provisional rank after a rating changed; leaves model scores alone. */
export async function refreshProvisionalRank(
  deps: Deps,
  comment: { id: string; story_id: string },
  lastFit: FitResult | undefined,
): Promise<void> {
  const current = await bridgeRankOf(deps.store.db, comment.id);
  if (current === undefined || current > SCORED_ABOVE) return;
  const ratings = await countingRatingsOf(deps.store.db, comment.id);
  const rank = provisionalRank(ratings, (userId) => lastFit?.readers.get(userId)?.factor);
  if (rank === current) return;
  await setProvisionalRank(deps.store.db, comment.id, rank, SCORED_ABOVE);
  invalidateStory(comment.story_id);
}
