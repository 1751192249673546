import type { Deps } from "../deps.js";
import { listSites } from "../site/service.js";
import { ratingsForFit } from "./ratings.js";
import { scoreSite } from "./scoring.js";

const UNSCORED = -1000;
const BATCH = 500;

/**
 * Refits the bridging model for one site and stores each comment's scores and badge.
 * Badges carry hysteresis from the previous fit (read back from the comments).
 */
export async function refitSite(deps: Deps, siteId: string) {
  const started = Date.now();
  const ratings = await ratingsForFit(deps, siteId);
  const previous = await deps.store.read
    .selectFrom("comments")
    .select("id")
    .where("site_id", "=", siteId)
    .where("bridge_badge", "=", 1)
    .execute();
  const result = scoreSite({ ratings, previousBadges: new Set(previous.map((r) => r.id)) });
  const entries = [...result.comments];
  for (let i = 0; i < entries.length; i += BATCH) {
    await deps.store.db.transaction().execute(async (trx) => {
      for (const [id, score] of entries.slice(i, i + BATCH)) {
        await trx
          .updateTable("comments")
          .set({
            bridge_rank: score.lowerBound,
            bridge_intercept: score.intercept,
            bridge_factor: score.factor,
            bridge_ratings: score.ratingCount,
            bridge_badge: score.badge ? 1 : 0,
          })
          .where("id", "=", id)
          .execute();
      }
    });
  }
  // Comments that lost their scores (too few counted ratings now) fall back to unscored.
  const scored = new Set(result.comments.keys());
  const stale = previous.filter((r) => !scored.has(r.id)).map((r) => r.id);
  if (stale.length > 0) {
    await deps.store.db
      .updateTable("comments")
      .set({ bridge_rank: UNSCORED, bridge_badge: 0 })
      .where("id", "in", stale)
      .execute();
  }
  return {
    siteId,
    ratings: ratings.length,
    scoredComments: result.comments.size,
    badges: result.badges.size,
    puppetRings: result.puppetRings,
    seconds: (Date.now() - started) / 1000,
  };
}

export async function refitAllSites(deps: Deps) {
  const results = [];
  for (const site of await listSites(deps)) results.push(await refitSite(deps, site.id));
  return results;
}
