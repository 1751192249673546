import type { Kysely } from "kysely";
import { prepared } from "../../store/prepared.js";
import type { Database } from "../../store/schema.js";

/** The phases read only: from the read pool, outside the write's transaction. */
type Reader = Kysely<Database>;

export const siteBan = prepared<[string, string], { site_id: string }>((db, slot) =>
  db.selectFrom("site_bans").select("site_id").where("user_id", "=", slot(0)).where("site_id", "=", slot(1)),
);

/** How many of an author's comments are published, counting no further than `upTo`. */
export async function publishedUpTo(db: Reader, authorId: string, upTo: number): Promise<number> {
  const rows = await db
    .selectFrom("comments")
    .select("id")
    .where("author_id", "=", authorId)
    .where("status", "=", "published")
    .limit(upTo)
    .execute();
  return rows.length;
}

/** How many comments an author has written since `since`. */
export async function writtenSince(db: Reader, authorId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("author_id", "=", authorId)
    .where("created_at", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function bodyOf(db: Reader, commentId: string): Promise<string | undefined> {
  return (await db.selectFrom("comments").select("body").where("id", "=", commentId).executeTakeFirst())?.body;
}

/** Whether the author wrote this text (by hash) on the story since `since`, other than the comment being edited. */
export async function wroteSameText(
  db: Reader,
  q: { hash: string; since: number; authorId: string; storyId: string; editing: string | null },
): Promise<boolean> {
  const same = await db
    .selectFrom("comments")
    .select("id")
    .where("text_hash", "=", q.hash)
    .where("created_at", ">=", q.since)
    .where("author_id", "=", q.authorId)
    .where("story_id", "=", q.storyId)
    .$if(q.editing !== null, (w) => w.where("id", "!=", q.editing ?? ""))
    .limit(1)
    .executeTakeFirst();
  return same !== undefined;
}

/** An author's recent MinHash signatures, newest first. */
export async function recentSignatures(
  db: Reader,
  q: { authorId: string; since: number; editing: string | null; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom("comments")
    .select(["id", "minhash"])
    .where("author_id", "=", q.authorId)
    .where("created_at", ">=", q.since)
    .where("minhash", "is not", null)
    .$if(q.editing !== null, (w) => w.where("id", "!=", q.editing ?? ""))
    .orderBy("created_at", "desc")
    .limit(q.limit)
    .execute();
  return rows.flatMap((r) => (r.minhash ? [r.minhash] : []));
}

/** How many other authors wrote this text (by hash) since `since`. */
export async function otherAuthorsOfText(
  db: Reader,
  q: { hash: string; since: number; authorId: string },
): Promise<number> {
  const row = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.count<number>("author_id").distinct().as("authors"))
    .where("text_hash", "=", q.hash)
    .where("created_at", ">=", q.since)
    .where("author_id", "!=", q.authorId)
    .executeTakeFirstOrThrow();
  return Number(row.authors);
}

export interface OthersComment {
  id: string;
  minhash: string | null;
  display_name: string;
}

const othersOnStory = (db: Reader, q: { storyId: string; authorId: string; editing: string | null }) =>
  db
    .selectFrom("comments")
    .innerJoin("users", "users.id", "comments.author_id")
    .select(["comments.id", "comments.minhash", "users.display_name"])
    .where("comments.story_id", "=", q.storyId)
    .where("comments.author_id", "!=", q.authorId)
    .$if(q.editing !== null, (w) => w.where("comments.id", "!=", q.editing ?? ""));

/** The first comment by another reader on the story with this text (by hash). */
export async function firstByOthersWithText(
  db: Reader,
  q: { storyId: string; authorId: string; editing: string | null; hash: string },
): Promise<OthersComment | undefined> {
  return othersOnStory(db, q)
    .where("comments.text_hash", "=", q.hash)
    .orderBy("comments.created_at", "asc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Other readers' latest comments on the story that have a signature, oldest of them first: a
 * backward walk of `comments_story_time` that stops at `limit`. Without their authors' names
 * (`authorNameOf` for the one that matches): the join cost a lookup per candidate.
 */
export async function othersLatestSigned(
  db: Reader,
  q: { storyId: string; authorId: string; editing: string | null; limit: number },
): Promise<{ id: string; minhash: string | null; author_id: string }[]> {
  const rows = await db
    .selectFrom("comments")
    .select(["id", "minhash", "author_id"])
    .where("story_id", "=", q.storyId)
    .where("author_id", "!=", q.authorId)
    .$if(q.editing !== null, (w) => w.where("id", "!=", q.editing ?? ""))
    .where("minhash", "is not", null)
    .orderBy("created_at", "desc")
    .limit(q.limit)
    .execute();
  return rows.reverse();
}

/** An author's display name (the desk shows who wrote the original of a copy). */
export async function authorNameOf(db: Reader, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom("users").select("display_name").where("id", "=", userId).executeTakeFirst();
  return row?.display_name;
}
