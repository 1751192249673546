import type { ExpressionBuilder } from "kysely";
import type { Deps } from "../deps.js";
import type { Database } from "../store/schema.js";

/** A rating counts only from a reader who has published a comment themselves. */
const raterHasPublished = (eb: ExpressionBuilder<Database, "ratings">) =>
  eb.exists(
    eb
      .selectFrom("comments as own")
      .select("own.id")
      .whereRef("own.author_id", "=", "ratings.user_id")
      .where("own.status", "=", "published"),
  );

/**
 * The ratings the model may use for a site: on published comments, from readers who have
 * published a comment themselves (new accounts' ratings count only after that).
 */
export async function ratingsForFit(deps: Deps, siteId: string, commentIds?: string[]) {
  if (commentIds && commentIds.length === 0) return [];
  const rows = await deps.store.read
    .selectFrom("ratings")
    .innerJoin("comments", "comments.id", "ratings.comment_id")
    .select(["ratings.user_id", "ratings.comment_id", "ratings.value"])
    .where("ratings.site_id", "=", siteId)
    .$if(commentIds !== undefined, (q) => q.where("ratings.comment_id", "in", commentIds ?? []))
    .where("comments.status", "=", "published")
    .where(raterHasPublished)
    .execute();
  return rows.map((r) => ({ readerId: r.user_id, commentId: r.comment_id, value: r.value }));
}

type Db = Deps["store"]["db"];

/** A comment's bridging rank. */
export async function bridgeRankOf(db: Db, commentId: string): Promise<number | undefined> {
  const row = await db.selectFrom("comments").select("bridge_rank").where("id", "=", commentId).executeTakeFirst();
  return row?.bridge_rank;
}

/** A comment's ratings that count (from readers who have published a comment themselves). */
export async function countingRatingsOf(db: Db, commentId: string): Promise<{ userId: string; helpful: boolean }[]> {
  const rows = await db
    .selectFrom("ratings")
    .select(["user_id", "value"])
    .where("comment_id", "=", commentId)
    .where(raterHasPublished)
    .execute();
  return rows.map((r) => ({ userId: r.user_id, helpful: Number(r.value) === 1 }));
}

/** Sets a provisional rank, only while the comment is still unscored (`scoredAbove` and up are model scores): a refit that scored it meanwhile wins. */
export async function setProvisionalRank(db: Db, commentId: string, rank: number, scoredAbove: number): Promise<void> {
  await db
    .updateTable("comments")
    .set({ bridge_rank: rank })
    .where("id", "=", commentId)
    .where("bridge_rank", "<=", scoredAbove)
    .execute();
}

/** A reader's rating of a comment (1 helpful, 0 not); rating again changes it. */
export async function upsertRating(
  db: Db,
  r: { commentId: string; userId: string; siteId: string; value: number; now: number },
): Promise<void> {
  await db
    .insertInto("ratings")
    .values({ comment_id: r.commentId, user_id: r.userId, site_id: r.siteId, value: r.value, created_at: r.now, updated_at: r.now })
    .onConflict((oc) => oc.columns(["comment_id", "user_id"]).doUpdateSet({ value: r.value, updated_at: r.now }))
    .execute();
}

export async function deleteRating(db: Db, commentId: string, userId: string): Promise<void> {
  await db.deleteFrom("ratings").where("comment_id", "=", commentId).where("user_id", "=", userId).execute();
}

/** The site's comments that carry the bridging badge now. */
export async function badgedComments(db: Db, siteId: string): Promise<string[]> {
  const rows = await db.selectFrom("comments").select("id").where("site_id", "=", siteId).where("bridge_badge", "=", 1).execute();
  return rows.map((r) => r.id);
}

/** A model's scores for comments, in batches of `batch` per transaction; `withBadge` also sets each badge. */
export async function saveBridgeScores(
  db: Db,
  scores: [string, { lowerBound: number; intercept: number; factor: number; ratingCount: number; badge?: boolean }][],
  options: { batch: number; withBadge: boolean },
): Promise<void> {
  for (let i = 0; i < scores.length; i += options.batch) {
    await db.transaction().execute(async (trx) => {
      for (const [id, score] of scores.slice(i, i + options.batch)) {
        await trx
          .updateTable("comments")
          .set({
            bridge_rank: score.lowerBound,
            bridge_intercept: score.intercept,
            bridge_factor: score.factor,
            bridge_ratings: score.ratingCount,
            ...(options.withBadge ? { bridge_badge: score.badge ? 1 : 0 } : {}),
          })
          .where("id", "=", id)
          .execute();
      }
    });
  }
}

/** Comments no longer scored: back to `rank`, without a badge. */
export async function unscoreComments(db: Db, ids: string[], rank: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable("comments").set({ bridge_rank: rank, bridge_badge: 0 }).where("id", "in", ids).execute();
}

/** The site's comments rated since `since`, at most `limit`. */
export async function ratedSince(db: Db, siteId: string, since: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("ratings")
    .select("comment_id")
    .distinct()
    .where("site_id", "=", siteId)
    .where("updated_at", ">=", since)
    .limit(limit)
    .execute();
  return rows.map((r) => r.comment_id);
}
