import { type Actor, sitesWhere } from "../accounts/actor.js";
import { findUsersByIds } from "../accounts/store.js";
import type { Deps } from "../deps.js";
import { forbidden, unauthenticated } from "../errors.js";
import { decodeTimeCursor, encodeTimeCursor } from "../http/time-cursor.js";
import { type PresentedComment, presentComment } from "./presenter.js";
import * as store from "./store.js";

export interface WaitingQuestion {
  question: PresentedComment;
  storyTitle: string;
  storyUrl: string;
}

/**
 * The questions of Q&A stories that the newsroom has not answered yet, oldest first, for the
 * sites where the caller is staff (or moderator, or admin): the desk's Questions view.
 */
export async function unansweredQuestions(props: {
  deps: Deps;
  actor: Actor | null;
  storyId?: string;
  cursor?: string;
  limit: number;
}): Promise<{ items: WaitingQuestion[]; nextCursor: string | null }> {
  const { deps, actor, limit } = props;
  if (!actor) throw unauthenticated();
  const sites = sitesWhere(actor, "staff");
  if (sites !== "all" && sites.length === 0)
    throw forbidden("Only the newsroom and moderators see the waiting questions.");
  const rows = await store.waitingQuestions(deps.store.read, {
    sites,
    storyId: props.storyId,
    after: props.cursor ? decodeTimeCursor("questions", props.cursor) : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const authors = await findUsersByIds(deps.store.read, [...new Set(page.map((r) => r.author_id))]);
  const ctx = {
    config: deps.config,
    viewer: actor,
    authors: new Map(authors.map((a) => [a.id, a])),
    viewerReactions: new Map<string, string[]>(),
  };
  return {
    items: page.map(({ story_title, story_url, ...row }) => ({
      question: presentComment(ctx, row),
      storyTitle: story_title,
      storyUrl: story_url,
    })),
    nextCursor: rows.length > limit && last ? encodeTimeCursor("questions", last.created_at, last.id) : null,
  };
}
