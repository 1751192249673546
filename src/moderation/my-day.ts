import type { SiteScope } from "../accounts/actor.js";
import { scopeSiteIds } from "../accounts/actor.js";
import { plainText } from "../comments/render.js";
import type { Deps } from "../deps.js";
import { decisionCounts, longestWaiting } from "./store-desk.js";

const DAY = 24 * 3600 * 1000;
const EXCERPT = 140;

/**
 * A moderator's own view: what they decided since the start of their day (the desk sends the
 * local midnight; at most two days back) and the comments that have waited longest.
 */
export async function myDay(props: { deps: Deps; moderatorId: string; sites: SiteScope; since?: string }) {
  const { deps, moderatorId } = props;
  const now = deps.clock.now();
  const asked = props.since ? Date.parse(props.since) : Number.NaN;
  const since = Number.isNaN(asked) ? now - DAY : Math.min(now, Math.max(asked, now - 2 * DAY));
  const siteIds = scopeSiteIds(props.sites);
  const [counts, oldest] = await Promise.all([
    decisionCounts(deps.store.read, { moderatorId, since, siteIds }),
    longestWaiting(deps.store.read, { siteIds, limit: 3 }),
  ]);
  return {
    since: new Date(since).toISOString(),
    approved: counts.approved,
    rejected: counts.rejected,
    waitingLongest: oldest.map((c) => {
      const text = plainText(c.body).replace(/\s+/g, " ").trim();
      return {
        commentId: c.id,
        storyId: c.storyId,
        storyTitle: c.storyTitle,
        authorName: c.authorName,
        excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1).trimEnd()}…` : text,
        waitingSince: new Date(c.createdAt).toISOString(),
      };
    }),
  };
}
