import { rateLimited } from "../../errors.js";
import { writtenSince } from "./store.js";
import type { Phase } from "./types.js";

const DAY = 24 * 3600 * 1000;

/**
 * One comment per interval per author, at most N on an account's first day, and a cap
 * per IP address. Counters live in the database or Redis, so every node enforces them alike.
 */
export const rateLimits: Phase = async ({ deps, actor, settings, now, ipHash, editing }) => {
  const limits = settings.rateLimits;
  if (!limits.enabled || editing) return;
  const user = actor.user;
  if (limits.commentIntervalSeconds > 0) {
    const interval = limits.commentIntervalSeconds * 1000;
    const hit = await deps.limiter.hit(`comment:user:${user.id}`, 1, interval, now);
    if (!hit.allowed) throw rateLimited(hit.retryAfterMs / 1000, "You are posting too fast; wait a few seconds.");
  }
  if (limits.newAccountDailyComments > 0 && now - user.created_at < DAY) {
    if ((await writtenSince(deps.store.read, user.id, user.created_at)) >= limits.newAccountDailyComments) {
      throw rateLimited(
        (user.created_at + DAY - now) / 1000,
        "New accounts can post a limited number of comments on their first day.",
      );
    }
  }
  if (ipHash && limits.commentsPerIpPerMinute > 0) {
    const hit = await deps.limiter.hit(`comment:ip:${ipHash}`, limits.commentsPerIpPerMinute, 60_000, now);
    if (!hit.allowed) throw rateLimited(hit.retryAfterMs / 1000);
  }
};
