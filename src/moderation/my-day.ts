import type { SiteScope } from "../accounts/actor.js";
import { scopeSiteIds } from "../accounts/actor.js";
import { plainText } from "../comments/render.js";
import type { Deps } from "../deps.js";

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
  let decisions = deps.store.read
    .selectFrom("moderation_actions")
    .select(["action", (eb) => eb.fn.countAll<number>().as("n")])
    .where("actor_id", "=", moderatorId)
    .where("action", "in", ["comment.approve", "comment.reject"])
    .where("created_at", ">=", since);
  if (siteIds) decisions = decisions.where("site_id", "in", siteIds);
  let waiting = deps.store.read
    .selectFrom("comments")
    .innerJoin("users", "users.id", "comments.author_id")
    .innerJoin("stories", "stories.id", "comments.story_id")
    .select([
      "comments.id",
      "comments.body",
      "comments.created_at",
      "comments.story_id",
      "users.display_name",
      "stories.title",
    ])
    .where("comments.status", "=", "pending")
    .orderBy("comments.created_at")
    .orderBy("comments.id")
    .limit(3);
  if (siteIds) waiting = waiting.where("comments.site_id", "in", siteIds);
  const [counts, oldest] = await Promise.all([decisions.groupBy("action").execute(), waiting.execute()]);
  const count = (action: string) => Number(counts.find((c) => c.action === action)?.n ?? 0);
  return {
    since: new Date(since).toISOString(),
    approved: count("comment.approve"),
    rejected: count("comment.reject"),
    waitingLongest: oldest.map((c) => {
      const text = plainText(c.body).replace(/\s+/g, " ").trim();
      return {
        commentId: c.id,
        storyId: c.story_id,
        storyTitle: c.title,
        authorName: c.display_name,
        excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1).trimEnd()}…` : text,
        waitingSince: new Date(Number(c.created_at)).toISOString(),
      };
    }),
  };
}
