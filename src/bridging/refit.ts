import { randomUUID } from "node:crypto";
import type { Deps } from "../deps.js";
import { takeLease } from "../store/leases.js";
import { listSites } from "../site/service.js";
import { invalidateAllStories } from "../comments/page-cache.js";
import { applyNoteScores, noteRatingsForFit, shownNotes } from "../notes/service.js";
import { isNoteKey, noteKey, noteRatingsFromEstablishedReaders, scoreNotes } from "./notes.js";
import { badgedComments, ratedSince, ratingsForFit, saveBridgeScores, unscoreComments } from "./store.js";
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
  const previous = await badgedComments(deps.store.read, siteId);
  const result = scoreSite({ ratings, previousBadges: new Set(previous) });
  lastFits.set(siteId, { main: result.main, at: fittedAt });
  const notes = scoreNotes(result, await shownNotes(deps, siteId));
  const shownNoteCount = [...notes.values()].filter((n) => n.status === "helpful").length;
  await applyNoteScores(deps, siteId, notes);
  const entries = [...result.comments].filter(([id]) => !isNoteKey(id));
  await saveBridgeScores(deps.store.db, entries, { batch: BATCH, withBadge: true });
  // Comments that lost their scores (too few counted ratings now) fall back to unscored.
  const scored = new Set(result.comments.keys());
  await unscoreComments(
    deps.store.db,
    previous.filter((id) => !scored.has(id)),
    UNSCORED,
  );
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
    const rated = await ratedSince(deps.store.read, siteId, fit.at, 5000);
    const ratings = await ratingsForFit(deps, siteId, rated);
    const scores = scoreComments(fit.main, ratings);
    if (scores.size === 0) continue;
    // One transaction for them all.
    await saveBridgeScores(deps.store.db, [...scores], { batch: scores.size, withBadge: false });
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
