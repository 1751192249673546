import { storyPolicy } from "../../policy/resolve.js";
import type { Reason } from "../verdict.js";
import { publishedUpTo } from "./store.js";
import type { Phase } from "./types.js";

/** Pre-moderation of the whole site, of a section, on a schedule, of a story, of a user, or of new accounts. */
export const preModeration: Phase = async ({ deps, actor, story, settings, now }) => {
  const reasons: Reason[] = [];
  for (const hold of storyPolicy(settings, story, now).holds) reasons.push({ phase: "premod", ...hold });
  if (settings.premod.site)
    reasons.push({ phase: "premod", code: "SITE_PREMOD", message: "The site is pre-moderated." });
  if (story.premod === 1)
    reasons.push({ phase: "premod", code: "STORY_PREMOD", message: "The story is pre-moderated." });
  if (actor.user.premod === 1)
    reasons.push({ phase: "premod", code: "USER_PREMOD", message: "A moderator reviews this user's comments." });
  const needed = settings.premod.newAccountsUntilPublished;
  if (needed > 0) {
    if ((await publishedUpTo(deps.store.read, actor.user.id, needed)) < needed) {
      reasons.push({
        phase: "premod",
        code: "NEW_ACCOUNT_PREMOD",
        message: `New accounts are reviewed until ${needed} comments are published.`,
      });
    }
  }
  if (reasons.length > 0) return { hold: true, reasons };
};
