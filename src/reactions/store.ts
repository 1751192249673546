import type { Transaction } from "kysely";
import type { Database } from "../store/schema.js";

/** Adds a reaction once; true when it was new. */
export async function addReaction(
  trx: Transaction<Database>,
  r: { commentId: string; userId: string; kind: string; now: number },
): Promise<boolean> {
  const result = await trx
    .insertInto("reactions")
    .values({ comment_id: r.commentId, user_id: r.userId, kind: r.kind, created_at: r.now })
    .onConflict((oc) => oc.columns(["comment_id", "user_id", "kind"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function removeReaction(
  trx: Transaction<Database>,
  r: { commentId: string; userId: string; kind: string },
): Promise<boolean> {
  const result = await trx
    .deleteFrom("reactions")
    .where("comment_id", "=", r.commentId)
    .where("user_id", "=", r.userId)
    .where("kind", "=", r.kind)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
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
