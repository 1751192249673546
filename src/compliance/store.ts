import type { Kysely, Transaction } from "kysely";
import type { SiteScope } from "../accounts/actor.js";
import type { AppealRow, AppealsTable, CommentRow, Database, DecisionStatementRow, DecisionStatementsTable, NoticeRow } from "../store/schema.js";
import type { Insertable } from "kysely";

type Db = Kysely<Database> | Transaction<Database>;

export async function insertStatement(db: Db, row: Insertable<DecisionStatementsTable>): Promise<void> {
  await db.insertInto("decision_statements").values(row).execute();
}

/** A reader's statements, newest first (bounded: a reader has few). */
export function statementsOf(db: Db, authorId: string, limit: number): Promise<DecisionStatementRow[]> {
  return db
    .selectFrom("decision_statements")
    .selectAll()
    .where("author_id", "=", authorId)
    .orderBy("decided_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

export function findStatement(db: Db, id: string): Promise<DecisionStatementRow | undefined> {
  return db.selectFrom("decision_statements").selectAll().where("id", "=", id).executeTakeFirst();
}

export function appealsOfStatements(db: Db, ids: string[]): Promise<AppealRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("appeals").selectAll().where("statement_id", "in", ids).execute();
}

export function findAppealOf(db: Db, statementId: string): Promise<AppealRow | undefined> {
  return db.selectFrom("appeals").selectAll().where("statement_id", "=", statementId).executeTakeFirst();
}

export function findAppeal(db: Db, id: string): Promise<AppealRow | undefined> {
  return db.selectFrom("appeals").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertAppeal(db: Db, row: Insertable<AppealsTable>): Promise<void> {
  await db.insertInto("appeals").values(row).execute();
}

/** Decides an open appeal; false when it was no longer open (decided concurrently). */
export async function closeAppeal(
  db: Db,
  id: string,
  change: { status: "upheld" | "reversed"; note: string; decidedBy: string; at: number },
): Promise<boolean> {
  const result = await db
    .updateTable("appeals")
    .set({ status: change.status, note: change.note, decided_by: change.decidedBy, decided_at: change.at })
    .where("id", "=", id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface AppealListRow {
  appeal: AppealRow;
  statement: DecisionStatementRow;
}

/** The appeals queue of the sites in scope, oldest first (open ones) or newest first (decided ones). */
export async function listAppeals(
  db: Db,
  props: { sites: SiteScope; status: AppealRow["status"]; limit: number },
): Promise<AppealListRow[]> {
  let query = db
    .selectFrom("appeals as a")
    .innerJoin("decision_statements as s", "s.id", "a.statement_id")
    .selectAll("a")
    .select([
      "s.id as s_id",
      "s.site_id as s_site_id",
      "s.story_id as s_story_id",
      "s.comment_id as s_comment_id",
      "s.author_id as s_author_id",
      "s.action as s_action",
      "s.ground as s_ground",
      "s.law as s_law",
      "s.reason as s_reason",
      "s.explanation as s_explanation",
      "s.automated as s_automated",
      "s.decided_by as s_decided_by",
      "s.decided_at as s_decided_at",
      "s.appeal_until as s_appeal_until",
    ])
    .where("a.status", "=", props.status);
  if (props.sites !== "all") {
    if (props.sites.length === 0) return [];
    query = query.where("a.site_id", "in", props.sites);
  }
  const rows = await query
    .orderBy("a.created_at", props.status === "open" ? "asc" : "desc")
    .orderBy("a.id")
    .limit(props.limit)
    .execute();
  return rows.map((r) => ({
    appeal: {
      id: r.id,
      statement_id: r.statement_id,
      site_id: r.site_id,
      author_id: r.author_id,
      explanation: r.explanation,
      status: r.status,
      note: r.note,
      decided_by: r.decided_by,
      created_at: Number(r.created_at),
      decided_at: r.decided_at === null ? null : Number(r.decided_at),
    },
    statement: {
      id: r.s_id,
      site_id: r.s_site_id,
      story_id: r.s_story_id,
      comment_id: r.s_comment_id,
      author_id: r.s_author_id,
      action: r.s_action,
      ground: r.s_ground,
      law: r.s_law,
      reason: r.s_reason,
      explanation: r.s_explanation,
      automated: Number(r.s_automated),
      decided_by: r.s_decided_by,
      decided_at: Number(r.s_decided_at),
      appeal_until: Number(r.s_appeal_until),
    },
  }));
}

/** The appeal window of a site (its `moderation.appealDays`), read in the write's transaction. */
export async function appealDaysOf(db: Db, siteId: string, fallback: number): Promise<number> {
  const row = await db.selectFrom("sites").select("settings").where("id", "=", siteId).executeTakeFirst();
  if (!row) return fallback;
  const settings = JSON.parse(row.settings) as { moderation?: { appealDays?: unknown } };
  const days = settings.moderation?.appealDays;
  return typeof days === "number" && Number.isInteger(days) && days > 0 ? days : fallback;
}

/** The appealed comments' text and status, for the Appeals view. */
export async function appealedComments(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("comments").select(["id", "body", "status"]).where("id", "in", ids).execute();
}

/** Stories' titles, for sentences that name them. */
export async function storyTitles(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("stories").select(["id", "title"]).where("id", "in", ids).execute();
}


/** A comment readers can see, which is what a notice may name. */
export function findNoticeableComment(db: Db, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom("comments").selectAll().where("id", "=", id).where("status", "=", "published").executeTakeFirst();
}

export async function insertNotice(db: Db, row: NoticeRow): Promise<void> {
  await db.insertInto("notices").values(row).execute();
}

/** A notice counts as an open report (the Reported queue) and moves the comment to its top. */
export async function raiseNoticePriority(db: Db, commentId: string, priority: number): Promise<void> {
  await db
    .updateTable("comments")
    .set((eb) => ({ open_reports: eb("open_reports", "+", 1), priority: eb("priority", "+", priority) }))
    .where("id", "=", commentId)
    .execute();
}

/** Closes a comment's open notices; answers those it closed, as they are now. */
export async function closeOpenNotices(
  db: Db,
  commentId: string,
  change: { status: NoticeRow["status"]; decidedBy: string | null; at: number },
): Promise<NoticeRow[]> {
  const open = await db.selectFrom("notices").selectAll().where("comment_id", "=", commentId).where("status", "=", "open").execute();
  if (open.length === 0) return [];
  await db
    .updateTable("notices")
    .set({ status: change.status, decided_by: change.decidedBy, decided_at: change.at })
    .where("id", "in", open.map((n) => n.id))
    .where("status", "=", "open")
    .execute();
  return open.map((n) => ({
    ...n,
    created_at: Number(n.created_at),
    status: change.status,
    decided_by: change.decidedBy,
    decided_at: change.at,
  }));
}

/** The open notices of the comments on a queue page, oldest first, with a signed-in notifier's name. */
export function openNoticesOf(db: Db, commentIds: string[]) {
  if (commentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("notices")
    .leftJoin("users", "users.id", "notices.reporter_id")
    .select([
      "notices.id",
      "notices.comment_id",
      "notices.law",
      "notices.explanation",
      "notices.created_at",
      "notices.reporter_email",
      "users.display_name as reporter_name",
    ])
    .where("notices.comment_id", "in", commentIds)
    .where("notices.status", "=", "open")
    .orderBy("notices.created_at", "asc")
    .execute();
}

export function findNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom("notices").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A published comment as the notice page quotes it: its text, its author's name, its story. */
export function noticeableCommentView(db: Db, id: string) {
  return db
    .selectFrom("comments")
    .innerJoin("users", "users.id", "comments.author_id")
    .innerJoin("stories", "stories.id", "comments.story_id")
    .select(["comments.id", "comments.body", "comments.created_at", "users.display_name", "stories.title", "stories.url"])
    .where("comments.id", "=", id)
    .where("comments.status", "=", "published")
    .executeTakeFirst();
}

/** Rows read for one transparency report, per kind: past this a report says it is sampled. */
export const REPORT_SAMPLE = 100_000;

type Range = { siteIds: string[] | null; from: number; to: number };

/** Notices received in the range: their outcome and when it came. */
export async function noticesIn(db: Db, q: Range) {
  let query = db.selectFrom("notices").select(["status", "created_at", "decided_at"]).where("created_at", ">=", q.from).where("created_at", "<", q.to);
  if (q.siteIds) query = query.where("site_id", "in", q.siteIds);
  return query.limit(REPORT_SAMPLE).execute();
}

/** Readers' reports received in the range. */
export async function reportsReceived(db: Db, q: Range): Promise<number> {
  let query = db
    .selectFrom("reports")
    .innerJoin("comments", "comments.id", "reports.comment_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("reports.created_at", ">=", q.from)
    .where("reports.created_at", "<", q.to);
  if (q.siteIds) query = query.where("comments.site_id", "in", q.siteIds);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

/** Statements of reasons issued in the range, counted by ground, reason and whether automated means took part. */
export async function statementCounts(db: Db, q: Range) {
  let query = db
    .selectFrom("decision_statements")
    .select(["ground", "reason", "automated", (eb) => eb.fn.countAll<number>().as("n")])
    .where("decided_at", ">=", q.from)
    .where("decided_at", "<", q.to);
  if (q.siteIds) query = query.where("site_id", "in", q.siteIds);
  const rows = await query.groupBy(["ground", "reason", "automated"]).execute();
  return rows.map((r) => ({ ground: r.ground, reason: r.reason, automated: Number(r.automated) === 1, n: Number(r.n) }));
}

/** Appeals filed in the range: their outcome and when it came. */
export async function appealsIn(db: Db, q: Range) {
  let query = db.selectFrom("appeals").select(["status", "created_at", "decided_at"]).where("created_at", ">=", q.from).where("created_at", "<", q.to);
  if (q.siteIds) query = query.where("site_id", "in", q.siteIds);
  return query.limit(REPORT_SAMPLE).execute();
}

/** The notices a signed-in reader sent, newest first (for their data export). */
export function noticesBy(db: Db, reporterId: string, limit: number): Promise<NoticeRow[]> {
  return db.selectFrom("notices").selectAll().where("reporter_id", "=", reporterId).orderBy("created_at", "desc").limit(limit).execute();
}

/**
 * A deleted account's notices stay with the newsroom (the transparency report counts them) with
 * their notifier forgotten: no account, no address, no network hash.
 */
export async function forgetNotifier(db: Db, userId: string): Promise<void> {
  await db.updateTable("notices").set({ reporter_id: null, reporter_email: null, ip_hash: null }).where("reporter_id", "=", userId).execute();
}
