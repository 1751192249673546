import type { Deps } from "../deps.js";

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
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("comments as own")
          .select("own.id")
          .whereRef("own.author_id", "=", "ratings.user_id")
          .where("own.status", "=", "published"),
      ),
    )
    .execute();
  return rows.map((r) => ({ readerId: r.user_id, commentId: r.comment_id, value: r.value }));
}
