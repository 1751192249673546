import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";

/**
 * The desk's reads beside the queue (src/moderation/store.ts holds the queue and the writes
 * of decisions): the names an audit entry mentions, a user's history, the audit log, a
 * moderator's day, the context of a queue page.
 */

type Db = Kysely<Database>;

/** The author and story of each of these comments. */
export async function commentAuthorsAndStories(db: Db, ids: string[]): Promise<{ id: string; authorId: string; storyId: string }[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("comments").select(["id", "author_id", "story_id"]).where("id", "in", ids).execute();
  return rows.map((c) => ({ id: c.id, authorId: c.author_id, storyId: c.story_id }));
}

/** The display names of these users. */
export async function displayNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", ids).execute();
  return new Map(rows.map((u) => [u.id, u.display_name]));
}

/** The title and address of these stories. */
export async function storyTitles(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("stories").select(["id", "title", "url"]).where("id", "in", ids).execute();
}

/** Every site's name. */
export async function siteNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom("sites").select(["id", "name"]).execute();
  return new Map(rows.map((s) => [s.id, s.name]));
}

/** The newest audit entries about a user or any of these comments, and the notes on the user (of these sites, if given). */
export async function userRecord(db: Db, q: { userId: string; commentIds: string[]; siteIds: string[] | null; limit: number }) {
  let actions = db
    .selectFrom("moderation_actions")
    .selectAll()
    .where((eb) => eb.or([eb("target_id", "=", q.userId), eb("target_id", "in", q.commentIds.concat([""]))]));
  let notes = db.selectFrom("user_notes").selectAll().where("user_id", "=", q.userId);
  if (q.siteIds) {
    actions = actions.where("site_id", "in", q.siteIds);
    notes = notes.where("site_id", "in", q.siteIds);
  }
  const [actionRows, noteRows] = await Promise.all([
    actions.orderBy("created_at", "desc").orderBy("id", "desc").limit(q.limit).execute(),
    notes.orderBy("created_at", "desc").orderBy("id", "desc").limit(q.limit).execute(),
  ]);
  return { actionRows, noteRows };
}

/** A story's title and site. */
export async function storyHeading(db: Db, id: string): Promise<{ id: string; title: string; siteId: string } | undefined> {
  const row = await db.selectFrom("stories").select(["id", "title", "site_id"]).where("id", "=", id).executeTakeFirst();
  return row && { id: row.id, title: row.title, siteId: row.site_id };
}

/** How many of a user's comments on a story are published and how many pending. */
export async function authorCountsOnStory(db: Db, userId: string, storyId: string): Promise<{ published: number; pending: number }> {
  const rows = await db
    .selectFrom("comments")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("author_id", "=", userId)
    .where("story_id", "=", storyId)
    .where("status", "in", ["published", "pending"])
    .groupBy("status")
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { published: count("published"), pending: count("pending") };
}

/** The audit log, newest first from the cursor (`before`: created_at and id), with filters; `limit` rows at most. */
export async function auditEntries(
  db: Db,
  q: {
    actorId?: string | undefined;
    action?: string | undefined;
    targetId?: string | undefined;
    siteIds: string[] | null;
    since?: number | undefined;
    until?: number | undefined;
    before?: readonly [number, string] | undefined;
    limit: number;
  },
) {
  let query = db.selectFrom("moderation_actions").selectAll();
  if (q.actorId) query = query.where("actor_id", "=", q.actorId);
  if (q.action) query = query.where("action", "=", q.action);
  if (q.targetId) query = query.where("target_id", "=", q.targetId);
  if (q.siteIds) query = query.where("site_id", "in", q.siteIds);
  if (q.since !== undefined) query = query.where("created_at", ">=", q.since);
  if (q.until !== undefined) query = query.where("created_at", "<", q.until);
  const before = q.before;
  if (before) query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(before[0], before[1])));
  return query.orderBy("created_at", "desc").orderBy("id", "desc").limit(q.limit).execute();
}

/** How many comments a moderator approved and rejected since `since` (on these sites). */
export async function decisionCounts(db: Db, q: { moderatorId: string; since: number; siteIds: string[] | null }) {
  let decisions = db
    .selectFrom("moderation_actions")
    .select(["action", (eb) => eb.fn.countAll<number>().as("n")])
    .where("actor_id", "=", q.moderatorId)
    .where("action", "in", ["comment.approve", "comment.reject"])
    .where("created_at", ">=", q.since);
  if (q.siteIds) decisions = decisions.where("site_id", "in", q.siteIds);
  const counts = await decisions.groupBy("action").execute();
  const count = (action: string) => Number(counts.find((c) => c.action === action)?.n ?? 0);
  return { approved: count("comment.approve"), rejected: count("comment.reject") };
}

/** The pending comments that have waited longest (on these sites), with their author's name and story's title. */
export async function longestWaiting(db: Db, q: { siteIds: string[] | null; limit: number }) {
  let waiting = db
    .selectFrom("comments")
    .innerJoin("users", "users.id", "comments.author_id")
    .innerJoin("stories", "stories.id", "comments.story_id")
    .select(["comments.id", "comments.body", "comments.created_at", "comments.story_id", "users.display_name", "stories.title"])
    .where("comments.status", "=", "pending")
    .orderBy("comments.created_at")
    .orderBy("comments.id")
    .limit(q.limit);
  if (q.siteIds) waiting = waiting.where("comments.site_id", "in", q.siteIds);
  const rows = await waiting.execute();
  return rows.map((c) => ({
    id: c.id,
    body: c.body,
    createdAt: Number(c.created_at),
    storyId: c.story_id,
    authorName: c.display_name,
    storyTitle: c.title,
  }));
}

/** These comments, whole (the parents a queue page shows). */
export async function commentsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("comments").selectAll().where("id", "in", ids).execute();
}

/** What a queue item shows of its story. */
export async function storiesForQueue(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("stories").select(["id", "title", "url", "status", "section"]).where("id", "in", ids).execute();
}
