import type { Actor } from "../accounts/actor.js";
import { can, commentSubject } from "../accounts/policies.js";
import { findUserById, findUsersByIds } from "../accounts/store.js";
import type { Deps } from "../deps.js";
import { conflict, forbidden, notFound } from "../errors.js";
import { audit } from "../audit/log.js";
import { withEvents } from "../events/spine.js";
import { ErrorCodes } from "../shared/codes.js";
import { getStory } from "../stories/service.js";
import { type PresentedComment, presentComment } from "./presenter.js";
import * as store from "./store.js";

/** The Picks strip is short: editors pick a handful, and a page shows at most this many. */
export const FEATURED_LIMIT = 50;

/**
 * Features (an editor's pick) or unfeatures a published comment for the story's staff, moderators
 * and admins. Doing it twice changes nothing the second time (no second audit entry, event or
 * notification). Featuring tells the author; both are audited and announced to open threads.
 */
export async function setFeatured(props: {
  deps: Deps;
  actor: Actor;
  id: string;
  featured: boolean;
}): Promise<PresentedComment> {
  const { deps, actor, featured } = props;
  const row = await withEvents(deps, async (trx, emit) => {
    const comment = await store.findComment(trx, props.id);
    // A comment the caller may not even read is not found, as everywhere else.
    if (!comment || (comment.status !== "published" && !can(actor, "read", commentSubject(comment))))
      throw notFound("Comment");
    if (!can(actor, "feature", commentSubject(comment)))
      throw forbidden("Only the newsroom and the site's moderators can feature comments.");
    if (featured && comment.status !== "published") {
      throw conflict(ErrorCodes.COMMENT_NOT_PUBLISHED, "Only a published comment can be featured; approve it first.");
    }
    if (featured === comment.featured_at > 0) return comment;
    const now = deps.clock.now();
    const changes = featured ? { featured_at: now, featured_by: actor.user.id } : { featured_at: 0, featured_by: null };
    await trx.updateTable("comments").set(changes).where("id", "=", comment.id).execute();
    const updated = { ...comment, ...changes };
    await audit(deps, trx, {
      siteId: comment.site_id,
      actorId: actor.user.id,
      action: featured ? "comment.feature" : "comment.unfeature",
      targetType: "comment",
      targetId: comment.id,
      before: { featured: !featured },
      after: { featured },
    });
    const author = updated.status === "published" ? await findUserById(trx, comment.author_id) : undefined;
    await emit(trx, { type: "comment.featured", comment: updated, author, featured });
    return updated;
  });
  const authors = await findUsersByIds(deps.store.read, [row.author_id]);
  return presentComment(
    { config: deps.config, viewer: actor, authors: new Map(authors.map((a) => [a.id, a])), viewerReactions: new Map() },
    row,
  );
}

/** A story's featured, published comments, newest feature first (the Picks strip). */
export async function listFeatured(props: {
  deps: Deps;
  viewer: Actor | null;
  storyId: string;
}): Promise<PresentedComment[]> {
  const { deps, viewer } = props;
  const story = await getStory(deps, props.storyId);
  const rows = await deps.store.read
    .selectFrom("comments")
    .selectAll()
    .where("story_id", "=", story.id)
    .where("featured_at", ">", 0)
    .where("status", "=", "published")
    .orderBy("featured_at", "desc")
    .orderBy("id", "desc")
    .limit(FEATURED_LIMIT)
    .execute();
  const authors = await findUsersByIds(deps.store.read, [...new Set(rows.map((r) => r.author_id))]);
  const reactions = viewer
    ? await store.viewerReactions(
        deps.store.read,
        viewer.user.id,
        rows.map((r) => r.id),
      )
    : [];
  const viewerReactions = new Map<string, string[]>();
  for (const r of reactions) viewerReactions.set(r.comment_id, [...(viewerReactions.get(r.comment_id) ?? []), r.kind]);
  const ctx = { config: deps.config, viewer, authors: new Map(authors.map((a) => [a.id, a])), viewerReactions };
  return rows.map((r) => presentComment(ctx, r));
}
