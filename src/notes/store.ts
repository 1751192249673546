/** The SQL of reader context notes and their ratings. */
import type { Kysely, Transaction } from "kysely";
import type { Database, NoteRow, NotesTable } from "../store/schema.js";

type Db = Kysely<Database> | Transaction<Database>;
export type NoteStatus = NoteRow["status"];

export async function insertNote(db: Db, row: NoteRow): Promise<void> {
  await db.insertInto("notes").values(row).execute();
}

export function findNote(db: Db, id: string): Promise<NoteRow | undefined> {
  return db.selectFrom("notes").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A story's notes that passed moderation, oldest first (a story has a handful, never thousands). */
export function publishedNotesOfStory(db: Db, storyId: string): Promise<NoteRow[]> {
  return db
    .selectFrom("notes")
    .selectAll()
    .where("story_id", "=", storyId)
    .where("moderation", "=", "published")
    .orderBy("created_at")
    .orderBy("id")
    .limit(200)
    .execute();
}

/** Notes held by the pipeline on the given sites, oldest first: the moderators' queue. */
export function heldNotes(db: Db, siteIds: string[] | "all", limit: number): Promise<NoteRow[]> {
  return db
    .selectFrom("notes")
    .selectAll()
    .where("moderation", "=", "pending")
    .$if(siteIds !== "all", (q) => q.where("site_id", "in", siteIds === "all" ? [] : siteIds))
    .orderBy("created_at")
    .limit(limit)
    .execute();
}

export async function setModeration(db: Db, id: string, moderation: NotesTable["moderation"]): Promise<void> {
  await db.updateTable("notes").set({ moderation }).where("id", "=", id).execute();
}

/** Published comments of a reader on a site: the history needed to write and to rate notes. */
export async function publishedCommentCount(db: Db, userId: string, siteId: string, atLeast: number): Promise<number> {
  if (atLeast <= 0) return 0;
  const rows = await db
    .selectFrom("comments")
    .select("id")
    .where("author_id", "=", userId)
    .where("site_id", "=", siteId)
    .where("status", "=", "published")
    .limit(atLeast)
    .execute();
  return rows.length;
}

export async function upsertRating(
  db: Db,
  r: { noteId: string; userId: string; siteId: string; value: number; now: number },
): Promise<void> {
  await db
    .insertInto("note_ratings")
    .values({ note_id: r.noteId, user_id: r.userId, site_id: r.siteId, value: r.value, created_at: r.now, updated_at: r.now })
    .onConflict((oc) => oc.columns(["note_id", "user_id"]).doUpdateSet({ value: r.value, updated_at: r.now }))
    .execute();
}

export async function deleteRating(db: Db, noteId: string, userId: string): Promise<void> {
  await db.deleteFrom("note_ratings").where("note_id", "=", noteId).where("user_id", "=", userId).execute();
}

/** The viewer's own ratings of the given notes. */
export async function ratingsBy(db: Db, userId: string, noteIds: string[]): Promise<Map<string, number>> {
  if (noteIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("note_ratings")
    .select(["note_id", "value"])
    .where("user_id", "=", userId)
    .where("note_id", "in", noteIds)
    .execute();
  return new Map(rows.map((r) => [r.note_id, Number(r.value)]));
}

/**
 * The note ratings a refit may use: on published notes, from readers who have published a
 * comment on the site (as for comment ratings).
 */
export async function noteRatingsForFit(db: Db, siteId: string) {
  const rows = await db
    .selectFrom("note_ratings")
    .innerJoin("notes", "notes.id", "note_ratings.note_id")
    .select(["note_ratings.user_id", "note_ratings.note_id", "note_ratings.value"])
    .where("note_ratings.site_id", "=", siteId)
    .where("notes.moderation", "=", "published")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("comments as own")
          .select("own.id")
          .whereRef("own.author_id", "=", "note_ratings.user_id")
          .where("own.status", "=", "published"),
      ),
    )
    .execute();
  return rows.map((r) => ({ userId: r.user_id, noteId: r.note_id, value: Number(r.value) }));
}

/** Every published note of a site with its current status: what a refit compares against. */
export function publishedNotesOfSite(db: Db, siteId: string) {
  return db
    .selectFrom("notes")
    .select(["id", "story_id", "status", "rating_count"])
    .where("site_id", "=", siteId)
    .where("moderation", "=", "published")
    .execute();
}

export async function setStatus(
  db: Db,
  id: string,
  change: { status: NoteStatus; ratingCount: number; now: number },
): Promise<void> {
  await db
    .updateTable("notes")
    .set({ status: change.status, rating_count: change.ratingCount, status_changed_at: change.now })
    .where("id", "=", id)
    .execute();
}

export async function setRatingCount(db: Db, id: string, ratingCount: number): Promise<void> {
  await db.updateTable("notes").set({ rating_count: ratingCount }).where("id", "=", id).execute();
}
