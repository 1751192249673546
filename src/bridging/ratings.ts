import type { Actor } from "../accounts/actor.js";
import { findComment } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { forbidden, notFound } from "../errors.js";
import { refreshProvisionalRank } from "./provisional.js";
import { lastFitOf } from "./refit.js";

export type RatingValue = "helpful" | "not_helpful";

/** A reader rates a published comment; rating again changes the rating. */
export async function rateComment(props: { deps: Deps; actor: Actor; commentId: string; value: RatingValue }) {
  const { deps, actor } = props;
  const comment = await findComment(deps.store.db, props.commentId);
  if (!comment || comment.status !== "published") throw notFound("Comment");
  if (comment.author_id === actor.user.id) throw forbidden("You cannot rate your own comment.");
  const now = deps.clock.now();
  const value = props.value === "helpful" ? 1 : 0;
  await deps.store.db
    .insertInto("ratings")
    .values({
      comment_id: comment.id,
      user_id: actor.user.id,
      site_id: comment.site_id,
      value,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["comment_id", "user_id"]).doUpdateSet({ value, updated_at: now }))
    .execute();
  await refreshProvisionalRank(deps, comment, lastFitOf(comment.site_id));
  return { commentId: comment.id, rating: props.value };
}

export async function unrateComment(props: { deps: Deps; actor: Actor; commentId: string }) {
  await props.deps.store.db
    .deleteFrom("ratings")
    .where("comment_id", "=", props.commentId)
    .where("user_id", "=", props.actor.user.id)
    .execute();
  const comment = await findComment(props.deps.store.db, props.commentId);
  if (comment) await refreshProvisionalRank(props.deps, comment, lastFitOf(comment.site_id));
}

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
