import type { StoryRow } from "../store/schema.js";

export function presentStory(story: StoryRow) {
  return {
    id: story.id,
    siteId: story.site_id,
    url: story.url,
    title: story.title,
    author: story.author,
    publishedAt: story.published_at === null ? null : new Date(story.published_at).toISOString(),
    status: story.status,
    commentCount: story.comment_count,
    settings: { premod: story.premod === 1 },
    mode: story.mode,
  };
}

export type PresentedStory = ReturnType<typeof presentStory>;
