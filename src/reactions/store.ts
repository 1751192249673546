import type { Kysely, Transaction } from "kysely";
import type { Database } from "../store/schema.js";

/** Adds a reaction once; true when it was new. `counted: false` stores it outside the totals. */
export async function addReaction(
  trx: Transaction<Database>,
  r: { commentId: string; userId: string; kind: string; now: number; counted: boolean },
): Promise<boolean> {
  const result = await trx
    .insertInto("reactions")
    .values({ comment_id: r.commentId, user_id: r.userId, kind: r.kind, created_at: r.now, counted: r.counted ? 1 : 0 })
    .onConflict((oc) => oc.columns(["comment_id", "user_id", "kind"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes a reaction; what it was: absent, or present and counted or not. */
export async function removeReaction(
  trx: Transaction<Database>,
  r: { commentId: string; userId: string; kind: string },
): Promise<"absent" | "counted" | "waiting"> {
  const row = await trx
    .deleteFrom("reactions")
    .where("comment_id", "=", r.commentId)
    .where("user_id", "=", r.userId)
    .where("kind", "=", r.kind)
    .returning("counted")
    .executeTakeFirst();
  if (!row) return "absent";
  return Number(row.counted) === 1 ? "counted" : "waiting";
}

/** True when the user has at least one published comment anywhere. */
export async function hasPublished(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("comments")
    .select("id")
    .where("author_id", "=", userId)
    .where("status", "=", "published")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Brings a user's waiting reactions into the totals (their first comment was just published),
 * in the caller's transaction. Costs one indexed update when there are none.
 */
export async function countWaitingReactions(trx: Transaction<Database>, userId: string): Promise<void> {
  const released = await trx
    .updateTable("reactions")
    .set({ counted: 1 })
    .where("user_id", "=", userId)
    .where("counted", "=", 0)
    .returning("comment_id")
    .execute();
  const perComment = new Map<string, number>();
  for (const r of released) perComment.set(r.comment_id, (perComment.get(r.comment_id) ?? 0) + 1);
  for (const [commentId, n] of [...perComment].sort()) await recount(trx, commentId, n);
}

/**
 * Moves the stored totals by `delta` and recounts the per-kind counts. The first update
 * locks the comment's row (PostgreSQL) or runs under the single writer (SQLite), so
 * concurrent reactions cannot write stale totals.
 */
export async function recount(
  trx: Transaction<Database>,
  commentId: string,
  delta: number,
): Promise<Record<string, number>> {
  await trx
    .updateTable("comments")
    .set((eb) => ({ reaction_count: eb("reaction_count", "+", delta) }))
    .where("id", "=", commentId)
    .execute();
  const rows = await trx
    .selectFrom("reactions")
    .select(["kind", (eb) => eb.fn.countAll<number>().as("n")])
    .where("comment_id", "=", commentId)
    .where("counted", "=", 1)
    .groupBy("kind")
    .orderBy("kind")
    .execute();
  const counts = Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  await trx
    .updateTable("comments")
    .set({ reactions: JSON.stringify(counts) })
    .where("id", "=", commentId)
    .execute();
  return counts;
}

/** The kinds of reaction a user left on a comment, alphabetically. */
export async function kindsOf(db: Kysely<Database>, commentId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("reactions")
    .select("kind")
    .where("comment_id", "=", commentId)
    .where("user_id", "=", userId)
    .orderBy("kind")
    .execute();
  return rows.map((r) => r.kind);
}
