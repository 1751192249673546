import type { Deps } from "../deps.js";
import { moderationSettings } from "../moderation/settings.js";
import { type StoryPolicy, storyPolicy } from "../policy/resolve.js";
import type { StoryRow } from "../store/schema.js";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** A story as the API shows it; with `policy`, also what its policy means for readers now. */
export function presentStory(story: StoryRow, policy?: StoryPolicy) {
  return {
    id: story.id,
    siteId: story.site_id,
    url: story.url,
    title: story.title,
    author: story.author,
    publishedAt: iso(story.published_at),
    status: story.status,
    commentCount: story.comment_count,
    section: story.section,
    mode: story.mode,
    settings: { premod: story.premod === 1, closeAfterDays: story.close_after_days, commenting: story.commenting },
    ...(policy
      ? {
          policy: {
            commenting: policy.commenting,
            closesAt: iso(policy.closesAt),
            closed: policy.closed,
            premodNow: policy.holds.length > 0,
            subscribeUrl: policy.subscribeUrl,
          },
        }
      : {}),
  };
}

/** The story with the policy its site and section give it at this moment. */
export async function presentStoryNow(deps: Deps, story: StoryRow) {
  return presentStory(story, storyPolicy(await moderationSettings(deps, story.site_id), story, deps.clock.now()));
}

export type PresentedStory = ReturnType<typeof presentStory>;
