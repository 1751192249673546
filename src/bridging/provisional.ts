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
  const row = await deps.store.db
    .selectFrom("comments")
    .select("bridge_rank")
    .where("id", "=", comment.id)
    .executeTakeFirst();
  if (!row || row.bridge_rank > SCORED_ABOVE) return;
  const ratings = await deps.store.db
    .selectFrom("ratings")
    .select(["user_id", "value"])
    .where("comment_id", "=", comment.id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("comments as own")
          .select("own.id")
          .whereRef("own.author_id", "=", "ratings.user_id")
          .where("own.status", "=", "published"),
      ),
    )
    .execute();
  const rank = provisionalRank(
    ratings.map((r) => ({ userId: r.user_id, helpful: Number(r.value) === 1 })),
    (userId) => lastFit?.readers.get(userId)?.factor,
  );
  if (rank === row.bridge_rank) return;
  // Only while still unscored: a refit that scored it meanwhile wins.
  await deps.store.db
    .updateTable("comments")
    .set({ bridge_rank: rank })
    .where("id", "=", comment.id)
    .where("bridge_rank", "<=", SCORED_ABOVE)
    .execute();
  invalidateStory(comment.story_id);
}
