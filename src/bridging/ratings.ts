import type { Actor } from "../accounts/actor.js";
import { findComment } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { forbidden, notFound } from "../errors.js";
import { refreshProvisionalRank } from "./provisional.js";
import { lastFitOf } from "./refit.js";
import { deleteRating, upsertRating } from "./store.js";

export type RatingValue = "helpful" | "not_helpful";

/** A reader rates a published comment; rating again changes the rating. */
export async function rateComment(props: { deps: Deps; actor: Actor; commentId: string; value: RatingValue }) {
  const { deps, actor } = props;
  const comment = await findComment(deps.store.db, props.commentId);
  if (!comment || comment.status !== "published") throw notFound("Comment");
  if (comment.author_id === actor.user.id) throw forbidden("You cannot rate your own comment.");
  const now = deps.clock.now();
  const value = props.value === "helpful" ? 1 : 0;
  await upsertRating(deps.store.db, { commentId: comment.id, userId: actor.user.id, siteId: comment.site_id, value, now });
  await refreshProvisionalRank(deps, comment, lastFitOf(comment.site_id));
  return { commentId: comment.id, rating: props.value };
}

export async function unrateComment(props: { deps: Deps; actor: Actor; commentId: string }) {
  await deleteRating(props.deps.store.db, props.commentId, props.actor.user.id);
  const comment = await findComment(props.deps.store.db, props.commentId);
  if (comment) await refreshProvisionalRank(props.deps, comment, lastFitOf(comment.site_id));
}

