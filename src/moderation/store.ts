import { type Expression, type ExpressionBuilder, type Insertable, type Kysely, type SqlBool, type Transaction, sql } from "kysely";
import { type SiteScope, scopeSiteIds } from "../accounts/actor.js";
import type { CommentRow, Database, ReportsTable, UserNotesTable } from "../store/schema.js";
import type { Queue, QueuePosition } from "./queue-cursor.js";

export interface QueueQuery {
  queue: Queue;
  /** The sites the moderator may see; every site when left out. */
  sites?: SiteScope;
  storyId?: string;
  authorId?: string;
  text?: string;
  /** Only comments on stories of this section. */
  section?: string;
  /** Sites where the moderator sees some sections only (src/accounts/actor.ts, sectionLimits). */
  sectionLimits?: ReadonlyMap<string, readonly string[]>;
  limit: number;
  after?: QueuePosition["values"];
}

/** One page of a moderation queue, `limit + 1` rows at most, in review order. */
export async function queuePage(db: Kysely<Database>, q: QueueQuery): Promise<CommentRow[]> {
  let query = db.selectFrom("comments").selectAll();
  const siteIds = scopeSiteIds(q.sites ?? "all");
  if (siteIds) query = query.where("site_id", "in", siteIds);
  if (q.storyId) query = query.where("story_id", "=", q.storyId);
  const sections = sectionFilter(q.section, q.sectionLimits);
  if (sections) query = query.where(sections);
  if (q.authorId) query = query.where("author_id", "=", q.authorId);
  if (q.text)
    query = query.where(
      sql<boolean>`lower(body) like ${`%${q.text.toLowerCase().replace(/[%_\\]/g, "\\$&")}%`} escape '\\'`,
    );
  const after = q.after;
  if (q.queue === "pending" || q.queue === "reported") {
    query =
      q.queue === "pending"
        ? query.where("status", "=", "pending")
        : query.where("open_reports", ">", 0).where("status", "in", ["published", "pending"]);
    if (after && after.length === 3) {
      const [priority, createdAt, id] = after;
      query = query.where((eb) =>
        eb.or([
          eb("priority", "<", priority),
          eb.and([eb("priority", "=", priority), eb(eb.refTuple("created_at", "id"), ">", eb.tuple(createdAt, id))]),
        ]),
      );
    }
    return query
      .orderBy("priority", "desc")
      .orderBy("created_at", "asc")
      .orderBy("id", "asc")
      .limit(q.limit + 1)
      .execute();
  }
  if (q.queue === "rejected") {
    query = query.where("status", "=", "rejected");
    if (after && after.length === 2) {
      query = query.where((eb) => eb(eb.refTuple("decided_at", "id"), "<", eb.tuple(after[0], after[1])));
    }
    return query
      .orderBy("decided_at", "desc")
      .orderBy("id", "desc")
      .limit(q.limit + 1)
      .execute();
  }
  if (after && after.length === 2)
    query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(after[0], after[1])));
  return query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(q.limit + 1)
    .execute();
}

export async function openReportsOf(db: Kysely<Database>, commentIds: string[]) {
  if (commentIds.length === 0) return [];
  return db
    .selectFrom("reports")
    .innerJoin("users", "users.id", "reports.reporter_id")
    .select([
      "reports.comment_id",
      "reports.reason",
      "reports.note",
      "reports.created_at",
      "users.id as reporter_id",
      "users.display_name as reporter_name",
    ])
    .where("reports.comment_id", "in", commentIds)
    .where("reports.resolved_at", "is", null)
    .orderBy("reports.created_at", "asc")
    .execute();
}

/** Published, pending and rejected counts per author: the author summary on every queue card. */
export async function statusCounts(db: Kysely<Database>, authorIds: string[], sites: SiteScope) {
  if (authorIds.length === 0) return [];
  const siteIds = scopeSiteIds(sites);
  let query = db
    .selectFrom("comments")
    .select(["author_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("author_id", "in", authorIds);
  if (siteIds) query = query.where("site_id", "in", siteIds);
  return query.groupBy(["author_id", "status"]).execute();
}

export async function actionCounts(db: Kysely<Database>, userIds: string[], sites: SiteScope) {
  if (userIds.length === 0) return [];
  const siteIds = scopeSiteIds(sites);
  let query = db
    .selectFrom("moderation_actions")
    .select(["target_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("target_type", "=", "user")
    .where("target_id", "in", userIds);
  if (siteIds) query = query.where("site_id", "in", siteIds);
  return query.groupBy("target_id").execute();
}

export async function resolveReports(db: Kysely<Database>, commentId: string, now: number): Promise<void> {
  await db
    .updateTable("reports")
    .set({ resolved_at: now })
    .where("comment_id", "=", commentId)
    .where("resolved_at", "is", null)
    .execute();
}

/** How many comments wait in each queue, of some sites (all when `siteIds` is null), on one story or all. */
export async function queueCounts(
  db: Kysely<Database>,
  q: { siteIds: string[] | null; storyId?: string | undefined; sections?: ReturnType<typeof sectionFilter> },
) {
  let comments = db.selectFrom("comments");
  if (q.siteIds) comments = comments.where("site_id", "in", q.siteIds);
  if (q.storyId) comments = comments.where("story_id", "=", q.storyId);
  if (q.sections) comments = comments.where(q.sections);
  const count = (query: typeof comments) =>
    query
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst()
      .then((r) => Number(r?.n ?? 0));
  const [pending, reported, rejected] = await Promise.all([
    count(comments.where("status", "=", "pending")),
    count(comments.where("open_reports", ">", 0).where("status", "in", ["published", "pending"])),
    count(comments.where("status", "=", "rejected")),
  ]);
  return { pending, reported, rejected };
}

/** A reader's report; a second one by the same reader fails with the dialect's unique violation. */
export async function insertReport(trx: Transaction<Database>, report: Insertable<ReportsTable>): Promise<void> {
  await trx.insertInto("reports").values(report).execute();
}

/** Counts a new report on a comment and moves it up the queue by `priority`; answers its open reports and status. */
export async function countReport(trx: Transaction<Database>, commentId: string, priority: number) {
  return trx
    .updateTable("comments")
    .set((eb) => ({ open_reports: eb("open_reports", "+", 1), priority: eb("priority", "+", priority) }))
    .where("id", "=", commentId)
    .returning(["open_reports", "status"])
    .executeTakeFirstOrThrow();
}

export async function banFromSite(trx: Transaction<Database>, userId: string, siteId: string, now: number): Promise<void> {
  await trx
    .insertInto("site_bans")
    .values({ user_id: userId, site_id: siteId, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Lifts a user's ban from one site, or from every site without `siteId`. */
export async function liftSiteBans(trx: Transaction<Database>, userId: string, siteId?: string): Promise<void> {
  let bans = trx.deleteFrom("site_bans").where("user_id", "=", userId);
  if (siteId) bans = bans.where("site_id", "=", siteId);
  await bans.execute();
}

/** An author's published and held comments, oldest first: of one site or all, of one story or all. */
export async function standingComments(
  trx: Transaction<Database>,
  q: {
    authorId: string;
    siteId?: string | undefined;
    storyId?: string | undefined;
    /** The sites where the moderator sees some sections only: the comments elsewhere in them are left out. */
    sectionLimits?: ReadonlyMap<string, readonly string[]>;
  },
): Promise<CommentRow[]> {
  let comments = trx
    .selectFrom("comments")
    .selectAll()
    .where("author_id", "=", q.authorId)
    .where("status", "in", ["published", "pending"])
    .orderBy("created_at");
  if (q.siteId) comments = comments.where("site_id", "=", q.siteId);
  if (q.storyId) comments = comments.where("story_id", "=", q.storyId);
  const sections = sectionFilter(undefined, q.sectionLimits);
  if (sections) comments = comments.where(sections);
  return comments.execute();
}

export async function insertNote(trx: Transaction<Database>, note: Insertable<UserNotesTable>): Promise<void> {
  await trx.insertInto("user_notes").values(note).execute();
}

/**
 * Comments of one section (`section`), and within sites where the moderator moderates some sections
 * only (`limits`), of those sections; null when neither narrows anything.
 */
export function sectionFilter(section: string | undefined, limits: ReadonlyMap<string, readonly string[]> | undefined) {
  if (section === undefined && !limits?.size) return null;
  return (eb: ExpressionBuilder<Database, "comments">) => {
    const parts: Expression<SqlBool>[] = [];
    if (section !== undefined) {
      parts.push(eb("story_id", "in", eb.selectFrom("stories").select("id").where("section", "=", section)));
    }
    for (const [siteId, sections] of limits ?? []) {
      parts.push(
        eb.or([
          eb("site_id", "!=", siteId),
          eb("story_id", "in", eb.selectFrom("stories").select("id").where("site_id", "=", siteId).where("section", "in", [...sections])),
        ]),
      );
    }
    return eb.and(parts);
  };
}

/** Decisions read for the statistics and the transparency report: at most this many in a range. */
export const DECISION_SAMPLE = 100_000;

/**
 * Moderators' decisions on comments in `[from, to)` (from the audit log: approve and reject,
 * each comment a ban rejects included), with when the comment was written: time to decision.
 */
export async function decisionTimes(db: Kysely<Database>, q: { siteIds: string[] | null; from: number; to: number }) {
  let query = db
    .selectFrom("moderation_actions as a")
    .innerJoin("comments as c", "c.id", "a.target_id")
    .leftJoin("users as u", "u.id", "a.actor_id")
    .select(["a.actor_id", "a.action", "a.created_at as decided_at", "c.created_at as written_at", "u.display_name"])
    .where("a.target_type", "=", "comment")
    .where("a.action", "in", ["comment.approve", "comment.reject"])
    .where("a.created_at", ">=", q.from)
    .where("a.created_at", "<", q.to);
  if (q.siteIds) query = query.where("a.site_id", "in", q.siteIds);
  const rows = await query.orderBy("a.created_at", "desc").limit(DECISION_SAMPLE).execute();
  return rows.map((r) => ({
    actorId: r.actor_id,
    name: r.display_name,
    action: r.action,
    seconds: Math.max(0, Math.round((Number(r.decided_at) - Number(r.written_at)) / 1000)),
  }));
}

/** How many comments of a site wait for a moderator, and since when the oldest has. */
export async function oldestPending(db: Kysely<Database>, siteId: string): Promise<{ pending: number; oldest: number | null }> {
  const row = await db
    .selectFrom("comments")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("created_at").as("oldest")])
    .where("site_id", "=", siteId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return { pending: Number(row?.n ?? 0), oldest: row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest) };
}

/** The backlog alert of a site: when it was raised (null: armed). */
export async function backlogState(db: Kysely<Database>, siteId: string): Promise<number | null> {
  const row = await db.selectFrom("backlog_alerts").select("raised_at").where("site_id", "=", siteId).executeTakeFirst();
  return row?.raised_at === null || row?.raised_at === undefined ? null : Number(row.raised_at);
}

/** Raises a site's backlog alert; true only for the one caller that raised it (any node, either dialect). */
export async function raiseBacklog(trx: Transaction<Database>, siteId: string, now: number): Promise<boolean> {
  await trx
    .insertInto("backlog_alerts")
    .values({ site_id: siteId, raised_at: null, cleared_at: null })
    .onConflict((oc) => oc.column("site_id").doNothing())
    .execute();
  const result = await trx
    .updateTable("backlog_alerts")
    .set({ raised_at: now })
    .where("site_id", "=", siteId)
    .where("raised_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Re-arms a site's backlog alert once its backlog cleared; true when it was raised. */
export async function clearBacklog(db: Kysely<Database>, siteId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("backlog_alerts")
    .set({ raised_at: null, cleared_at: now })
    .where("site_id", "=", siteId)
    .where("raised_at", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
