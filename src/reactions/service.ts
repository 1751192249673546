import type { Actor } from "../accounts/actor.js";
import type { Deps } from "../deps.js";
import { forbidden, notFound, rateLimited, validationFailed } from "../errors.js";
import { idempotentWrite, type Outcome } from "../idempotency.js";
import { findComment } from "../comments/store.js";
import * as store from "./store.js";
import { emitter, withEvents } from "../events/spine.js";
import { moderationSettings } from "../moderation/settings.js";

export const REACTION_KINDS = ["like", "insightful", "funny"] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

export interface ReactionState {
  reactions: Record<string, number>;
  viewerReactions: string[];
}

async function reactable(deps: Deps, actor: Actor, commentId: string, kind: string) {
  if (!(REACTION_KINDS as readonly string[]).includes(kind)) {
    throw validationFailed(`Reactions are ${REACTION_KINDS.join(", ")}.`, { kind });
  }
  const comment = await findComment(deps.store.db, commentId);
  if (!comment || comment.status !== "published") throw notFound("Comment");
  if (comment.author_id === actor.user.id) throw forbidden("You cannot react to your own comment.");
  // Abuse limits apply with the site's rate limits: a cap per hour, and sock-puppet resistance
  // (a commenter's reactions count only once one of their comments is published).
  const limits = (await moderationSettings(deps, comment.site_id)).rateLimits;
  if (limits.enabled && limits.reactionsPerHour > 0) {
    const hit = await deps.limiter.hit(`reaction:user:${actor.user.id}`, limits.reactionsPerHour, 3600_000, deps.clock.now());
    if (!hit.allowed) throw rateLimited(hit.retryAfterMs / 1000, "You have reacted many times; try again later.");
  }
  const waits =
    limits.enabled && limits.newAccountReactionsWait && actor.user.role === "commenter" && !(await store.hasPublished(deps.store.db, actor.user.id));
  return { comment, counted: !waits };
}

async function viewerKinds(deps: Deps, actor: Actor, commentId: string): Promise<string[]> {
  const rows = await deps.store.db
    .selectFrom("reactions")
    .select("kind")
    .where("comment_id", "=", commentId)
    .where("user_id", "=", actor.user.id)
    .orderBy("kind")
    .execute();
  return rows.map((r) => r.kind);
}

export async function react(props: {
  deps: Deps;
  actor: Actor;
  commentId: string;
  kind: string;
  idempotencyKey?: string;
}): Promise<Outcome<ReactionState>> {
  const { deps, actor, commentId, kind } = props;
  const events = emitter(deps);
  const outcome = await idempotentWrite(
    deps,
    actor,
    { key: props.idempotencyKey, fingerprint: ["POST reaction", commentId, kind] },
    () => reactable(deps, actor, commentId, kind),
    async (trx, { comment, counted }) => {
      const added = await store.addReaction(trx, {
        commentId: comment.id,
        userId: actor.user.id,
        kind,
        now: deps.clock.now(),
        counted,
      });
      if (!added || !counted)
        return {
          // Stored but waiting (not counted yet) is still a new reaction: 201, totals unchanged.
          statusCode: added ? 201 : 200,
          body: { reactions: JSON.parse(comment.reactions) as Record<string, number>, viewerReactions: [] as string[] },
        };
      const reactions = await store.recount(trx, comment.id, 1);
      await events.emit(trx, { type: "reaction.changed", storyId: comment.story_id, commentId: comment.id, reactions });
      return { statusCode: 201, body: { reactions, viewerReactions: [] as string[] } };
    },
  );
  events.committed();
  return { ...outcome, body: { ...outcome.body, viewerReactions: await viewerKinds(deps, actor, commentId) } };
}

export async function unreact(props: {
  deps: Deps;
  actor: Actor;
  commentId: string;
  kind: string;
}): Promise<ReactionState> {
  const { deps, actor, commentId, kind } = props;
  const comment = await findComment(deps.store.db, commentId);
  if (!comment || comment.status !== "published") throw notFound("Comment");
  const reactions = await withEvents(deps, async (trx, emit) => {
    const removed = await store.removeReaction(trx, { commentId, userId: actor.user.id, kind });
    if (removed !== "counted") return JSON.parse(comment.reactions) as Record<string, number>;
    const counts = await store.recount(trx, commentId, -1);
    await emit(trx, { type: "reaction.changed", storyId: comment.story_id, commentId, reactions: counts });
    return counts;
  });
  return { reactions, viewerReactions: await viewerKinds(deps, actor, commentId) };
}
