import { type Actor, isModerator } from "../accounts/actor.js";
import { can, commentSubject } from "../accounts/policies.js";
import { findUsersByIds } from "../accounts/store.js";
import type { Deps } from "../deps.js";
import { notFound } from "../errors.js";
import type { CommentRow } from "../store/schema.js";
import { getStory } from "../stories/service.js";
import { type Sort, decodeCursor, encodeCursor } from "./cursor.js";
import { cachedPage } from "./page-cache.js";
import { type PresentContext, type PresentedComment, presentComment } from "./presenter.js";
import * as store from "./store.js";

export const NESTED_REPLIES = 3;

export interface Page {
  items: PresentedComment[];
  nextCursor: string | null;
}

/** Authors and the viewer's reactions for a set of rows: two queries, whatever the page size. */
async function contextFor(deps: Deps, viewer: Actor | null, rows: CommentRow[]): Promise<PresentContext> {
  const authorIds = [...new Set(rows.map((r) => r.author_id))];
  const [authors, reactions] = await Promise.all([
    findUsersByIds(deps.store.read, authorIds),
    viewer
      ? store.viewerReactions(
          deps.store.read,
          viewer.user.id,
          rows.map((r) => r.id),
        )
      : Promise.resolve([]),
  ]);
  const viewerReactions = new Map<string, string[]>();
  for (const r of reactions) viewerReactions.set(r.comment_id, [...(viewerReactions.get(r.comment_id) ?? []), r.kind]);
  return { config: deps.config, viewer, authors: new Map(authors.map((a) => [a.id, a])), viewerReactions };
}

const timeCursor = (sort: "newest" | "oldest" | "replies", row: CommentRow) =>
  encodeCursor({ sort, createdAt: row.created_at, id: row.id });

function cursorAfter(sort: Sort, row: CommentRow): string {
  if (sort === "best") return encodeCursor({ sort, rank: row.bridge_rank, createdAt: row.created_at, id: row.id });
  if (sort === "featured")
    return encodeCursor({ sort, featuredAt: row.featured_at, createdAt: row.created_at, id: row.id });
  if (sort === "answered")
    return encodeCursor({ sort, answeredAt: row.answered_at, createdAt: row.created_at, id: row.id });
  return sort === "top"
    ? encodeCursor({ sort, reactionCount: row.reaction_count, createdAt: row.created_at, id: row.id })
    : timeCursor(sort, row);
}

/**
 * A page of a story's top-level comments, each with its first replies nested. Anonymous
 * readers' first pages, what every page view asks for, come from the page cache.
 */
export async function listStoryComments(props: {
  deps: Deps;
  viewer: Actor | null;
  storyId: string;
  sort: Sort;
  limit: number;
  cursor?: string;
  filter?: "answered" | "unanswered";
  random?: () => number;
}): Promise<Page> {
  const { deps, viewer, storyId, sort, limit, cursor } = props;
  const cached = () =>
    cachedPage(deps, `story:${storyId}:${sort}:${limit}${props.filter ? `:${props.filter}` : ""}`, async () => ({
      storyId,
      page: await readStoryComments({ ...props, viewer: null }),
    }));
  let page: Page;
  if (cursor) page = await readStoryComments(props);
  else if (!viewer) page = await cached();
  else if (isPlainReader(viewer) && !(await store.hasPendingIn(deps.store.read, storyId, viewer.user.id))) {
    page = await asSeenBy(deps, viewer, await cached());
  } else page = await readStoryComments(props);
  if (sort === "best" && !cursor && page.items.length >= 2 && (props.random ?? Math.random)() < EXPLORE_SHARE) {
    return withUnratedInSlot(deps, viewer, storyId, page);
  }
  return page;
}

/** A reader with no role anywhere: they see what anonymous readers see, plus their own pending comments. */
function isPlainReader(viewer: Actor): boolean {
  return !isModerator(viewer) && (viewer.siteRoles ?? []).length === 0;
}

/**
 * The anonymous page as a plain reader with nothing pending in the story sees it: the same
 * comments, with their own reactions and the sources of their own comments. Two small
 * queries instead of building the page again; the cached page itself is never changed.
 */
async function asSeenBy(deps: Deps, viewer: Actor, page: Page): Promise<Page> {
  const shown = page.items.flatMap((c) => [c, ...(c.replies?.items ?? [])]);
  const own = shown.filter((c) => c.author.id === viewer.user.id && c.status !== "removed").map((c) => c.id);
  const [reactions, sources] = await Promise.all([
    store.viewerReactions(
      deps.store.read,
      viewer.user.id,
      shown.map((c) => c.id),
    ),
    store.commentSources(deps.store.read, own),
  ]);
  const kinds = new Map<string, string[]>();
  for (const r of reactions) kinds.set(r.comment_id, [...(kinds.get(r.comment_id) ?? []), r.kind]);
  const dress = (c: PresentedComment): PresentedComment => {
    const body = sources.get(c.id);
    return { ...c, viewerReactions: kinds.get(c.id) ?? [], ...(body === undefined ? {} : { body }) };
  };
  return {
    ...page,
    items: page.items.map((c) => (c.replies ? { ...dress(c), replies: { ...c.replies, items: c.replies.items.map(dress) } } : dress(c))),
  };
}

/** The share of first `best` pages that show one new, unrated comment in the third slot. */
export const EXPLORE_SHARE = 0.2;

/**
 * New comments have no ratings, so `best` would bury them and they could never earn any:
 * a share of readers see the newest unrated one in the third slot (it also keeps its place
 * further down the list).
 */
async function withUnratedInSlot(deps: Deps, viewer: Actor | null, storyId: string, page: Page): Promise<Page> {
  const shown = new Set(page.items.map((c) => c.id));
  const candidates = await store.unratedCandidates(deps.store.read, { storyId, now: deps.clock.now(), limit: page.items.length + 1 });
  const unrated = candidates.find((c) => !shown.has(c.id));
  if (!unrated) return page;
  const ctx = await contextFor(deps, viewer, [unrated]);
  const items = [...page.items];
  items.splice(2, 0, presentComment(ctx, unrated));
  return { ...page, items };
}

export async function readStoryComments(props: {
  deps: Deps;
  viewer: Actor | null;
  storyId: string;
  sort: Sort;
  limit: number;
  cursor?: string;
  filter?: "answered" | "unanswered";
}): Promise<Page> {
  const { deps, viewer, sort, limit, filter } = props;
  const after = props.cursor ? decodeCursor(props.cursor, sort) : undefined;
  const viewerId = viewer?.user.id ?? null;
  // The story check and the page read are independent: on PostgreSQL they overlap.
  const [story, rows] = await Promise.all([
    getStory(deps, props.storyId),
    store.topLevelPage(deps.store.read, { storyId: props.storyId, sort, limit, after, viewerId, filter }),
  ]);
  const page = rows.slice(0, limit);
  const withReplies = page.filter((r) => r.reply_count > 0).map((r) => r.id);
  const replies = await store.firstReplies(deps.store.read, {
    storyId: story.id,
    parentIds: withReplies,
    perParent: NESTED_REPLIES,
    viewerId,
  });
  const ctx = await contextFor(deps, viewer, [...page, ...replies]);
  const byParent = new Map<string, CommentRow[]>();
  for (const r of replies) {
    const siblings = byParent.get(r.parent_id ?? "");
    if (siblings) siblings.push(r);
    else byParent.set(r.parent_id ?? "", [r]);
  }
  const items = page.map((row) => {
    const comment = presentComment(ctx, row);
    const children = (byParent.get(row.id) ?? []).sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    if (children.length > 0) {
      const shown = children.slice(0, NESTED_REPLIES);
      comment.replies = {
        items: shown.map((c) => presentComment(ctx, c)),
        nextCursor: children.length > NESTED_REPLIES ? timeCursor("replies", shown[shown.length - 1]) : null,
      };
    }
    return comment;
  });
  return { items, nextCursor: rows.length > limit ? cursorAfter(sort, page[page.length - 1]) : null };
}

function mayView(viewer: Actor | null, row: CommentRow): boolean {
  if (store.LISTED.includes(row.status)) return true;
  if (can(viewer, "read", commentSubject(row))) return true;
  return row.status === "pending" && viewer?.user.id === row.author_id;
}

async function visibleComment(deps: Deps, viewer: Actor | null, id: string): Promise<CommentRow> {
  const row = await store.findComment(deps.store.read, id);
  if (!row || !mayView(viewer, row)) throw notFound("Comment");
  return row;
}

/** More replies of one comment, oldest first; an anonymous reader's first page is cached. */
export async function listReplies(props: {
  deps: Deps;
  viewer: Actor | null;
  commentId: string;
  limit: number;
  cursor?: string;
}): Promise<Page> {
  const { deps, viewer, commentId, limit, cursor } = props;
  if (viewer || cursor) return (await readReplies(props)).page;
  return cachedPage(deps, `replies:${commentId}:${limit}`, () => readReplies(props));
}

async function readReplies(props: {
  deps: Deps;
  viewer: Actor | null;
  commentId: string;
  limit: number;
  cursor?: string;
}): Promise<{ storyId: string; page: Page }> {
  const { deps, viewer, limit } = props;
  const after = props.cursor ? decodeCursor(props.cursor, "replies") : undefined;
  const parent = await visibleComment(deps, viewer, props.commentId);
  const rows = await store.repliesPage(deps.store.read, {
    storyId: parent.story_id,
    parentId: parent.id,
    limit,
    after,
    viewerId: viewer?.user.id ?? null,
  });
  const page = rows.slice(0, limit);
  const ctx = await contextFor(deps, viewer, page);
  return {
    storyId: parent.story_id,
    page: {
      items: page.map((r) => presentComment(ctx, r)),
      nextCursor: rows.length > limit ? timeCursor("replies", page[page.length - 1]) : null,
    },
  };
}

/** One comment with its ancestors, root first, for permalinks. */
export async function getCommentThread(props: { deps: Deps; viewer: Actor | null; id: string }) {
  const { deps, viewer } = props;
  const row = await visibleComment(deps, viewer, props.id);
  const ancestors = await store.ancestorsOf(deps.store.read, row);
  const ctx = await contextFor(deps, viewer, [row, ...ancestors]);
  return { comment: presentComment(ctx, row), ancestors: ancestors.map((a) => presentComment(ctx, a)) };
}
