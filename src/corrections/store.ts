import type { Kysely, Transaction } from "kysely";
import type { CorrectionRow, CorrectionStatus, Database } from "../store/schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export async function insertCorrection(db: Db, row: CorrectionRow): Promise<void> {
  await db.insertInto("corrections").values(row).execute();
}

export async function findCorrection(db: Db, id: string): Promise<CorrectionRow | undefined> {
  return db.selectFrom("corrections").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The open suggestions on the same passage of a story (the group decided together). */
export async function openOnPassage(db: Db, storyId: string, passage: string): Promise<CorrectionRow[]> {
  return db
    .selectFrom("corrections")
    .selectAll()
    .where("story_id", "=", storyId)
    .where("passage", "=", passage)
    .where("status", "=", "open")
    .orderBy("created_at", "asc")
    .orderBy("id", "asc")
    .execute();
}

export async function decide(
  db: Db,
  ids: string[],
  change: {
    status: CorrectionStatus;
    note: string | null;
    declineReason: string | null;
    by: string;
    at: number;
    mergedInto: string | null;
  },
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("corrections")
    .set({
      status: change.status,
      note: change.note,
      decline_reason: change.declineReason,
      decided_by: change.by,
      decided_at: change.at,
      merged_into: change.mergedInto,
    })
    .where("id", "in", ids)
    .where("status", "=", "open")
    .execute();
}

/** A page of the desk's queue: oldest first for open ones, newest decision first otherwise. */
export async function listPage(
  db: Db,
  filter: {
    status: CorrectionStatus;
    siteIds: "all" | string[];
    storyId?: string;
    after?: { at: number; id: string };
    limit: number;
  },
): Promise<CorrectionRow[]> {
  let q = db.selectFrom("corrections").selectAll().where("status", "=", filter.status);
  if (filter.siteIds !== "all") q = q.where("site_id", "in", filter.siteIds.length ? filter.siteIds : [""]);
  if (filter.storyId) q = q.where("story_id", "=", filter.storyId);
  const after = filter.after;
  if (after)
    q = q.where((eb) =>
      eb.or([eb("created_at", ">", after.at), eb.and([eb("created_at", "=", after.at), eb("id", ">", after.id)])]),
    );
  return q
    .orderBy("created_at", "asc")
    .orderBy("id", "asc")
    .limit(filter.limit + 1)
    .execute();
}

/** How many open suggestions share each (story, passage) group. */
export async function groupSizes(db: Db, groups: { storyId: string; passage: string }[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const stories = [...new Set(groups.filter((g) => g.passage !== "").map((g) => g.storyId))];
  if (stories.length === 0) return sizes;
  const rows = await db
    .selectFrom("corrections")
    .select(["story_id", "passage"])
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("story_id", "in", stories)
    .where("status", "=", "open")
    .where("passage", "!=", "")
    .groupBy(["story_id", "passage"])
    .execute();
  for (const r of rows) sizes.set(`${r.story_id}\n${r.passage}`, Number(r.n));
  return sizes;
}

/** A story's public corrections, oldest first (the order a newspaper prints them). */
export async function acceptedOf(db: Db, storyId: string): Promise<CorrectionRow[]> {
  return db
    .selectFrom("corrections")
    .selectAll()
    .where("story_id", "=", storyId)
    .where("status", "=", "accepted")
    .where("merged_into", "is", null)
    .orderBy("decided_at", "asc")
    .orderBy("id", "asc")
    .limit(50)
    .execute();
}

/** Each reader's record on the site: comments by status and accepted corrections. */
export async function readerHistories(
  db: Db,
  userIds: string[],
): Promise<Map<string, { published: number; held: number; rejected: number; correctionsAccepted: number }>> {
  const out = new Map<string, { published: number; held: number; rejected: number; correctionsAccepted: number }>();
  if (userIds.length === 0) return out;
  for (const id of userIds) out.set(id, { published: 0, held: 0, rejected: 0, correctionsAccepted: 0 });
  const comments = await db
    .selectFrom("comments")
    .select(["author_id", "status"])
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("author_id", "in", userIds)
    .groupBy(["author_id", "status"])
    .execute();
  for (const r of comments) {
    const h = out.get(r.author_id);
    if (!h) continue;
    if (r.status === "published") h.published += Number(r.n);
    if (r.status === "pending") h.held += Number(r.n);
    if (r.status === "rejected") h.rejected += Number(r.n);
  }
  const accepted = await db
    .selectFrom("corrections")
    .select("author_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("author_id", "in", userIds)
    .where("status", "=", "accepted")
    .groupBy("author_id")
    .execute();
  for (const r of accepted) {
    const h = out.get(r.author_id);
    if (h) h.correctionsAccepted = Number(r.n);
  }
  return out;
}

/** The stories of a page of suggestions: title and address. */
export async function storiesByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("stories").select(["id", "title", "url"]).where("id", "in", ids).execute();
}

/** A deleted account's suggestions stay with the newsroom, their reader forgotten. */
export async function forgetSuggester(db: Db, userId: string, deletedUserId: string): Promise<void> {
  await db.updateTable("corrections").set({ author_id: deletedUserId }).where("author_id", "=", userId).execute();
}
