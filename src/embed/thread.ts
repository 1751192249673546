import type { Actor } from "../accounts/actor.js";
import { listStoryComments } from "../comments/reads.js";
import type { Deps } from "../deps.js";
import { editWindowSeconds, moderationSettings } from "../moderation/settings.js";
import { presentStoryNow } from "../stories/presenter.js";
import { type ResolveContext, getStory, resolveStory } from "../stories/service.js";
import type { Sort, ThreadState } from "../shared/thread.js";

/** How many top-level comments the first page shows, server-rendered and in the widget. */
export const FIRST_PAGE = 20;

export interface ThreadQuery {
  url?: string;
  storyId?: string;
  sort?: Sort;
  cursor?: string;
  lang?: string;
  /** Page metadata and text, passed when the story may be created now (the built-in articles). */
  meta?: { title?: string; author?: string; publishedAt?: string; bodyText?: string; section?: string };
  /** Who asks, and how far their title is to be trusted (see resolveStory). */
  context?: ResolveContext;
}

/** The thread state the server renders and hands to the widget: the story and one page. */
export async function loadThread(deps: Deps, query: ThreadQuery, viewer: Actor | null = null): Promise<ThreadState> {
  const story = query.storyId
    ? await getStory(deps, query.storyId)
    : await resolveStory(deps, query.url ?? "", query.meta ?? {}, query.context);
  const sort = query.sort ?? (story.mode === "qa" ? "answered" : "newest");
  const page = await listStoryComments({
    deps,
    viewer,
    storyId: story.id,
    sort,
    limit: FIRST_PAGE,
    cursor: query.cursor,
  });
  return {
    story: await presentStoryNow(deps, story),
    page,
    sort,
    lang: query.lang ?? "en",
    limits: {
      editWindowSeconds: editWindowSeconds(deps, await moderationSettings(deps, story.site_id)),
      maxCommentLength: deps.config.maxCommentLength,
    },
    renderedAt: new Date(deps.clock.now()).toISOString(),
  };
}
