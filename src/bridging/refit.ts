import { randomUUID } from "node:crypto";
import type { Deps } from "../deps.js";
import { takeLease } from "../store/leases.js";
import { listSites } from "../site/service.js";
import { invalidateAllStories } from "../comments/page-cache.js";
import { applyNoteScores, noteRatingsForFit, shownNotes } from "../notes/service.js";
import { isNoteKey, noteKey, noteRatingsFromEstablishedReaders, scoreNotes } from "./notes.js";
import { ratingsForFit } from "./store.js";
import { scoreComments } from "./incremental.js";
import { scoreSite } from "./scoring.js";
import type { FitResult } from "./types.js";

/** The last full fit of each site, kept in memory for scoring newly rated comments in between. */
const lastFits = new Map<string, { main: FitResult; at: number }>();

const UNSCORED = -1000;

/** The last full fit of a site on this node: the readers' sides of the divide, for provisional ranks. */
export function lastFitOf(siteId: string): FitResult | undefined {
  return lastFits.get(siteId)?.main;
}
const BATCH = 500;

/**
 * Refits the bridging model for one site and stores each comment's scores and badge.
 * Badges carry hysteresis from the previous fit (read back from the comments).
 */
export async function refitSite(deps: Deps, siteId: string) {
  const started = Date.now();
  const fittedAt = deps.clock.now();
  // Notes are rated in the same fit: a reader's side of the divide is learned from all their ratings.
  const commentRatings = await ratingsForFit(deps, siteId);
  const noteRatings = (await noteRatingsForFit(deps.store.read, siteId)).map((r) => ({
    readerId: r.userId,
    commentId: noteKey(r.noteId),
    value: r.value,
  }));
  const ratings = [...commentRatings, ...noteRatingsFromEstablishedReaders(commentRatings, noteRatings)];
  const previous = await deps.store.read
    .selectFrom("comments")
    .select("id")
    .where("site_id", "=", siteId)
    .where("bridge_badge", "=", 1)
    .execute();
  const result = scoreSite({ ratings, previousBadges: new Set(previous.map((r) => r.id)) });
  lastFits.set(siteId, { main: result.main, at: fittedAt });
  const notes = scoreNotes(result, await shownNotes(deps, siteId));
  const shownNoteCount = [...notes.values()].filter((n) => n.status === "helpful").length;
  await applyNoteScores(deps, siteId, notes);
  const entries = [...result.comments].filter(([id]) => !isNoteKey(id));
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
    scoredComments: entries.length,
    badges: [...result.badges].filter((id) => !isNoteKey(id)).length,
    notesShown: shownNoteCount,
    puppetRings: result.puppetRings,
    seconds: (Date.now() - started) / 1000,
  };
}

export async function refitAllSites(deps: Deps) {
  const results = [];
  for (const site of await listSites(deps)) results.push(await refitSite(deps, site.id));
  invalidateAllStories();
  return results;
}

/**
 * Between full refits: comments rated since the last fit are scored with the readers'
 * parameters held fixed, so `sort=best` moves within a minute. Badges wait for the next
 * full refit (a badge needs both fits).
 */
export async function rescoreRecentlyRated(deps: Deps): Promise<number> {
  let rescored = 0;
  for (const [siteId, fit] of lastFits) {
    const rated = await deps.store.read
      .selectFrom("ratings")
      .select("comment_id")
      .distinct()
      .where("site_id", "=", siteId)
      .where("updated_at", ">=", fit.at)
      .limit(5000)
      .execute();
    const ratings = await ratingsForFit(
      deps,
      siteId,
      rated.map((r) => r.comment_id),
    );
    const scores = scoreComments(fit.main, ratings);
    if (scores.size === 0) continue;
    await deps.store.db.transaction().execute(async (trx) => {
      for (const [id, score] of scores) {
        await trx
          .updateTable("comments")
          .set({
            bridge_rank: score.lowerBound,
            bridge_intercept: score.intercept,
            bridge_factor: score.factor,
            bridge_ratings: score.ratingCount,
          })
          .where("id", "=", id)
          .execute();
      }
    });
    rescored += scores.size;
  }
  return rescored;
}

/** This process, as a holder of the bridging lease. */
const NODE = randomUUID();
const LEASE = "bridging";

/**
 * The scheduled bridging work (full refits, per-minute rescoring) runs on one node at a time:
 * the holder of the `bridging` lease, which renews it on each run. Rescoring needs the last
 * full fit in memory, so both kinds stay on the same node. False when another node holds it.
 */
export async function runScheduledBridging(deps: Deps, work: "refit" | "rescore", leaseMs: number): Promise<boolean> {
  if (!(await takeLease(deps.store, { name: LEASE, holder: NODE, now: deps.clock.now(), ms: leaseMs }))) return false;
  if (work === "refit" || lastFits.size === 0) await refitAllSites(deps);
  else await rescoreRecentlyRated(deps);
  return true;
}
