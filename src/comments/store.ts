import { type ExpressionBuilder, type Kysely, type Transaction, sql } from "kysely";
import type { CommentRow, CommentStatus, Database, NewComment } from "../store/schema.js";
import type { Position, Sort } from "./cursor.js";
import { prepared } from "../store/prepared.js";

type Db = Kysely<Database> | Transaction<Database>;

/** Statuses every reader sees in a thread: published comments and the tombstones of deleted ones. */
export const LISTED: CommentStatus[] = ["published", "removed"];

/** Listed comments, plus the viewer's own comments awaiting review. */
function visibleTo(viewerId: string | null) {
  return (eb: ExpressionBuilder<Database, "comments">) =>
    viewerId
      ? eb.or([eb("status", "in", LISTED), eb.and([eb("author_id", "=", viewerId), eb("status", "=", "pending")])])
      : eb("status", "in", LISTED);
}

const commentById = prepared<[string], CommentRow>((db, slot) =>
  db.selectFrom("comments").selectAll().where("id", "=", slot(0)),
);

export async function findComment(db: Db, id: string): Promise<CommentRow | undefined> {
  return (await commentById(db, id)).rows[0];
}

/**
 * One page of a story's top-level comments: a range scan of one index, `limit + 1` rows at most.
 * `parent_id` leads the ORDER BY although it is null in every row: PostgreSQL does not treat
 * `is null` as an equality, so without it the index order does not match and it sorts the
 * whole thread instead (a sequential scan of 100,000 rows for 20).
 */
export async function topLevelPage(
  db: Db,
  q: {
    storyId: string;
    sort: Sort;
    limit: number;
    after?: Position;
    viewerId: string | null;
    /** Q&A stories: only the questions the newsroom answered, or only those it has not. */
    filter?: "answered" | "unanswered";
  },
): Promise<CommentRow[]> {
  let query = db
    .selectFrom("comments")
    .selectAll()
    .where("story_id", "=", q.storyId)
    .where("parent_id", "is", null)
    .where(visibleTo(q.viewerId));
  if (q.filter) query = query.where("answered_at", q.filter === "answered" ? ">" : "=", 0);
  const after = q.after;
  if (q.sort === "top") {
    if (after?.sort === "top") {
      query = query.where((eb) =>
        eb(
          eb.refTuple("reaction_count", "created_at", "id"),
          "<",
          eb.tuple(after.reactionCount, after.createdAt, after.id),
        ),
      );
    }
    query = query
      .orderBy("parent_id", "desc")
      .orderBy("reaction_count", "desc")
      .orderBy("created_at", "desc")
      .orderBy("id", "desc");
  } else if (q.sort === "best") {
    if (after?.sort === "best") {
      query = query.where((eb) =>
        eb(eb.refTuple("bridge_rank", "created_at", "id"), "<", eb.tuple(after.rank, after.createdAt, after.id)),
      );
    }
    query = query
      .orderBy("parent_id", "desc")
      .orderBy("bridge_rank", "desc")
      .orderBy("created_at", "desc")
      .orderBy("id", "desc");
  } else if (q.sort === "featured") {
    if (after?.sort === "featured") {
      query = query.where((eb) =>
        eb(eb.refTuple("featured_at", "created_at", "id"), "<", eb.tuple(after.featuredAt, after.createdAt, after.id)),
      );
    }
    query = query
      .orderBy("parent_id", "desc")
      .orderBy("featured_at", "desc")
      .orderBy("created_at", "desc")
      .orderBy("id", "desc");
  } else if (q.sort === "answered") {
    if (after?.sort === "answered") {
      query = query.where((eb) =>
        eb(eb.refTuple("answered_at", "created_at", "id"), "<", eb.tuple(after.answeredAt, after.createdAt, after.id)),
      );
    }
    query = query
      .orderBy("parent_id", "desc")
      .orderBy("answered_at", "desc")
      .orderBy("created_at", "desc")
      .orderBy("id", "desc");
  } else if (q.sort === "newest") {
    if (after && (after.sort === "newest" || after.sort === "oldest" || after.sort === "replies")) {
      query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(after.createdAt, after.id)));
    }
    query = query.orderBy("parent_id", "desc").orderBy("created_at", "desc").orderBy("id", "desc");
  } else {
    if (after && (after.sort === "newest" || after.sort === "oldest" || after.sort === "replies")) {
      query = query.where((eb) => eb(eb.refTuple("created_at", "id"), ">", eb.tuple(after.createdAt, after.id)));
    }
    query = query.orderBy("parent_id", "asc").orderBy("created_at", "asc").orderBy("id", "asc");
  }
  return query.limit(q.limit + 1).execute();
}

/** Replies of one comment, oldest first, after a position. The story leads the thread indexes. */
export async function repliesPage(
  db: Db,
  q: { storyId: string; parentId: string; limit: number; after?: Position; viewerId: string | null },
): Promise<CommentRow[]> {
  const after = q.after;
  let query = db
    .selectFrom("comments")
    .selectAll()
    .where("story_id", "=", q.storyId)
    .where("parent_id", "=", q.parentId)
    .where(visibleTo(q.viewerId));
  if (after && after.sort !== "top") {
    query = query.where((eb) => eb(eb.refTuple("created_at", "id"), ">", eb.tuple(after.createdAt, after.id)));
  }
  return query
    .orderBy("created_at", "asc")
    .orderBy("id", "asc")
    .limit(q.limit + 1)
    .execute();
}

/** The first `perParent + 1` replies of each of several comments, in one round trip. */
export async function firstReplies(
  db: Db,
  q: { storyId: string; parentIds: string[]; perParent: number; viewerId: string | null },
): Promise<CommentRow[]> {
  if (q.parentIds.length === 0) return [];
  const part = (parentId: string, i: number) =>
    db
      .selectFrom((sub) =>
        sub
          .selectFrom("comments")
          .selectAll()
          .where("story_id", "=", q.storyId)
          .where("parent_id", "=", parentId)
          .where(visibleTo(q.viewerId))
          .orderBy("created_at", "asc")
          .orderBy("id", "asc")
          .limit(q.perParent + 1)
          .as(`r${i}`),
      )
      .selectAll();
  let query = part(q.parentIds[0], 0);
  for (let i = 1; i < q.parentIds.length; i++) query = query.unionAll(part(q.parentIds[i], i));
  return query.execute();
}

/** A comment's ancestors, root first. */
export async function ancestorsOf(db: Db, comment: CommentRow): Promise<CommentRow[]> {
  if (!comment.parent_id) return [];
  const result = await sql<CommentRow>`
    with recursive chain(id, parent_id) as (
      select id, parent_id from comments where id = ${comment.parent_id}
      union all
      select c.id, c.parent_id from comments c join chain on c.id = chain.parent_id
    )
    select comments.* from comments join chain on comments.id = chain.id order by comments.depth asc`.execute(db);
  return result.rows;
}

export async function viewerReactions(db: Db, viewerId: string, commentIds: string[]) {
  if (commentIds.length === 0) return [];
  return db
    .selectFrom("reactions")
    .select(["comment_id", "kind"])
    .where("user_id", "=", viewerId)
    .where("comment_id", "in", commentIds)
    .execute();
}

/** Whether the author has a comment waiting for review in the story (which only they see listed). */
export async function hasPendingIn(db: Db, storyId: string, authorId: string): Promise<boolean> {
  const row = await db
    .selectFrom("comments")
    .select("id")
    .where("author_id", "=", authorId)
    .where("story_id", "=", storyId)
    .where("status", "=", "pending")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The Markdown sources of some comments, by id. */
export async function commentSources(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("comments").select(["id", "body"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.body]));
}

/** One compiled insert per set of columns (posting always sends the same one). */
const inserts = new Map<string, ReturnType<typeof prepared<unknown[], never>>>();

export async function insertComment(trx: Transaction<Database>, comment: NewComment): Promise<void> {
  const columns = Object.keys(comment) as (keyof NewComment)[];
  const signature = columns.join(",");
  let insert = inserts.get(signature);
  if (!insert) {
    insert = prepared<unknown[], never>((db, slot) =>
      db.insertInto("comments").values(Object.fromEntries(columns.map((c, i) => [c, slot(i)])) as NewComment),
    );
    if (inserts.size < 16) inserts.set(signature, insert);
  }
  await insert(trx, ...columns.map((c) => comment[c]));
}

const storyCount = prepared<[number, string], never>((db, slot) =>
  db
    .updateTable("stories")
    .set((eb) => ({ comment_count: eb("comment_count", "+", slot<number>(0)) }))
    .where("id", "=", slot(1)),
);

export async function addToStoryCount(trx: Transaction<Database>, storyId: string, delta: number): Promise<void> {
  await storyCount(trx, delta, storyId);
}

const replyCount = prepared<[number, string], never>((db, slot) =>
  db
    .updateTable("comments")
    .set((eb) => ({ reply_count: eb("reply_count", "+", slot<number>(0)) }))
    .where("id", "=", slot(1)),
);

export async function addToReplyCount(trx: Transaction<Database>, commentId: string, delta: number): Promise<void> {
  await replyCount(trx, delta, commentId);
}

export async function updateBody(
  trx: Transaction<Database>,
  change: {
    id: string;
    oldBody: string;
    oldHtml: string;
    body: string;
    bodyHtml: string;
    now: number;
    revisionId: string;
    moderation: Pick<CommentRow, "status" | "scores" | "reasons" | "priority" | "text_hash" | "minhash">;
  },
): Promise<void> {
  await trx
    .insertInto("comment_revisions")
    .values({
      id: change.revisionId,
      comment_id: change.id,
      body: change.oldBody,
      body_html: change.oldHtml,
      created_at: change.now,
    })
    .execute();
  await trx
    .updateTable("comments")
    .set({ body: change.body, body_html: change.bodyHtml, edited_at: change.now, ...change.moderation })
    .where("id", "=", change.id)
    .execute();
}

/** Keeps a tombstone in the thread: the text is gone, the replies stay in place. */
async function markRemoved(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom("comment_revisions").where("comment_id", "=", id).execute();
  await trx
    .updateTable("comments")
    .set({ status: "removed", body: "", body_html: "", quote: null })
    .where("id", "=", id)
    .execute();
}

/** Deletes a comment that nobody answered, with everything hanging off it. */
async function deleteCommentRow(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom("reactions").where("comment_id", "=", id).execute();
  await trx.deleteFrom("comment_revisions").where("comment_id", "=", id).execute();
  await trx.deleteFrom("comments").where("id", "=", id).execute();
}

/** Whether anyone answered the comment, in any status (a reply keeps its parent's row: the foreign key). */
async function hasReplies(trx: Transaction<Database>, comment: { id: string; storyId: string }): Promise<boolean> {
  const child = await trx
    .selectFrom("comments")
    .select("id")
    .where("story_id", "=", comment.storyId)
    .where("parent_id", "=", comment.id)
    .limit(1)
    .executeTakeFirst();
  return child !== undefined;
}

/**
 * Removes a comment, as its author, a moderator or the deletion of its author's account
 * does: one with replies becomes a tombstone so the conversation under it stays in place;
 * one without is deleted with everything hanging off it. The story's comment count and
 * the parent's reply count stay true. The comment must not be removed already.
 */
export async function removeComment(
  trx: Transaction<Database>,
  comment: { id: string; status: CommentStatus; storyId: string; parentId: string | null; replyCount: number },
): Promise<"deleted" | "tombstone"> {
  const wasPublished = comment.status === "published";
  if (wasPublished) await addToStoryCount(trx, comment.storyId, -1);
  if (comment.replyCount > 0 || (await hasReplies(trx, comment))) {
    await markRemoved(trx, comment.id);
    // A comment not published was not counted among its parent's replies; its tombstone is.
    if (!wasPublished && comment.parentId) await addToReplyCount(trx, comment.parentId, 1);
    return "tombstone";
  }
  await deleteCommentRow(trx, comment.id);
  if (wasPublished && comment.parentId) await addToReplyCount(trx, comment.parentId, -1);
  return "deleted";
}

const counted = (status: CommentStatus) => (status === "published" ? 1 : 0);
const listed = (status: CommentStatus) => (LISTED.includes(status) ? 1 : 0);

/**
 * Moves a comment to another status and keeps the story's comment count and the
 * parent's reply count true, in the caller's transaction.
 */
export async function moveStatus(
  trx: Transaction<Database>,
  comment: Pick<CommentRow, "id" | "status" | "story_id" | "parent_id">,
  to: CommentStatus,
  extra: Partial<Pick<CommentRow, "reasons" | "priority" | "open_reports" | "decided_at">> = {},
): Promise<void> {
  await trx
    .updateTable("comments")
    .set({ status: to, ...extra })
    .where("id", "=", comment.id)
    .execute();
  const storyDelta = counted(to) - counted(comment.status);
  if (storyDelta !== 0) await addToStoryCount(trx, comment.story_id, storyDelta);
  const replyDelta = listed(to) - listed(comment.status);
  if (replyDelta !== 0 && comment.parent_id) await addToReplyCount(trx, comment.parent_id, replyDelta);
}

/** Features a comment (`featured_at` the time, `featured_by` the editor) or unfeatures it (0, null). */
export async function setFeatured(
  trx: Transaction<Database>,
  id: string,
  changes: { featured_at: number; featured_by: string | null },
): Promise<void> {
  await trx.updateTable("comments").set(changes).where("id", "=", id).execute();
}

/** A story's featured, published comments, newest feature first. */
export async function featuredOf(db: Db, storyId: string, limit: number): Promise<CommentRow[]> {
  return db
    .selectFrom("comments")
    .selectAll()
    .where("story_id", "=", storyId)
    .where("featured_at", ">", 0)
    .where("status", "=", "published")
    .orderBy("featured_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Published questions of Q&A stories with no answer yet, oldest first, with their story's title and address. */
export async function waitingQuestions(
  db: Db,
  q: { sites: "all" | string[]; storyId?: string | undefined; after?: { at: number; id: string } | undefined; limit: number },
) {
  let rows = db
    .selectFrom("comments")
    .innerJoin("stories", "stories.id", "comments.story_id")
    .selectAll("comments")
    .select(["stories.title as story_title", "stories.url as story_url"])
    .where("stories.mode", "=", "qa")
    .where("comments.parent_id", "is", null)
    .where("comments.answered_at", "=", 0)
    .where("comments.status", "=", "published");
  if (q.sites !== "all") rows = rows.where("comments.site_id", "in", q.sites);
  if (q.storyId) rows = rows.where("comments.story_id", "=", q.storyId);
  const after = q.after;
  if (after) rows = rows.where((eb) => eb(eb.refTuple("comments.created_at", "comments.id"), ">", eb.tuple(after.at, after.id)));
  return rows.orderBy("comments.created_at", "asc").orderBy("comments.id", "asc").limit(q.limit).execute();
}

/** Marks a question answered at `at`. */
export async function setAnswered(db: Db, id: string, at: number): Promise<void> {
  await db.updateTable("comments").set({ answered_at: at }).where("id", "=", id).execute();
}

/**
 * A story's newest top-level published comments nobody has rated yet (`bridge_rank` -1000),
 * leaving out those of banned, suspended or site-banned authors: candidates for the unrated slot.
 */
export async function unratedCandidates(db: Db, q: { storyId: string; now: number; limit: number }): Promise<CommentRow[]> {
  return db
    .selectFrom("comments")
    .selectAll()
    .where("story_id", "=", q.storyId)
    .where("parent_id", "is", null)
    .where("status", "=", "published")
    .where("bridge_rank", "=", -1000)
    // The slot is a chance to earn ratings; a banned or suspended reader's comments get none.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("users")
            .select("users.id")
            .whereRef("users.id", "=", "comments.author_id")
            .where((u) =>
              u.or([
                u("users.status", "=", "banned"),
                u.and([u("users.status", "=", "suspended"), u("users.suspended_until", ">", q.now)]),
              ]),
            ),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("site_bans")
            .select("site_bans.user_id")
            .whereRef("site_bans.user_id", "=", "comments.author_id")
            .whereRef("site_bans.site_id", "=", "comments.site_id"),
        ),
      ),
    )
    .orderBy("created_at", "desc")
    .limit(q.limit)
    .execute();
}
