import { type Actor, sitesWhere } from "../accounts/actor.js";
import { findUsersByIds } from "../accounts/store.js";
import type { Deps } from "../deps.js";
import { forbidden, unauthenticated } from "../errors.js";
import { decodeTimeCursor, encodeTimeCursor } from "../http/time-cursor.js";
import { type PresentedComment, presentComment } from "./presenter.js";

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
  let q = deps.store.read
    .selectFrom("comments")
    .innerJoin("stories", "stories.id", "comments.story_id")
    .selectAll("comments")
    .select(["stories.title as story_title", "stories.url as story_url"])
    .where("stories.mode", "=", "qa")
    .where("comments.parent_id", "is", null)
    .where("comments.answered_at", "=", 0)
    .where("comments.status", "=", "published");
  if (sites !== "all") q = q.where("comments.site_id", "in", sites);
  if (props.storyId) q = q.where("comments.story_id", "=", props.storyId);
  if (props.cursor) {
    const after = decodeTimeCursor("questions", props.cursor);
    q = q.where((eb) => eb(eb.refTuple("comments.created_at", "comments.id"), ">", eb.tuple(after.at, after.id)));
  }
  const rows = await q
    .orderBy("comments.created_at", "asc")
    .orderBy("comments.id", "asc")
    .limit(limit + 1)
    .execute();
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
