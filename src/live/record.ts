import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import { presentComment } from "../comments/presenter.js";
import type { CommentRow, Database, StoryEventType, UserRow } from "../store/schema.js";
import { recordEvent } from "./events.js";
import { invalidateStory } from "../comments/page-cache.js";

/** Events recorded in a transaction, announced once it commits. */
export class PendingEvents {
  private readonly seqs = new Map<string, number>();

  add(storyId: string, seq: number): void {
    this.seqs.set(storyId, Math.max(seq, this.seqs.get(storyId) ?? 0));
  }

  announce(deps: Deps): void {
    for (const [storyId, seq] of this.seqs) {
      invalidateStory(storyId);
      deps.live.notify(storyId, seq);
    }
    this.seqs.clear();
  }
}

/**
 * Records a change to a comment as readers will see it: the public view for a published
 * comment, the author's own view (audience: the author and moderators) for a held one.
 */
export async function recordCommentEvent(
  trx: Transaction<Database>,
  deps: Deps,
  pending: PendingEvents,
  change: { type: StoryEventType; comment: CommentRow; author?: UserRow },
): Promise<void> {
  const { comment } = change;
  const visible = comment.status === "published" || comment.status === "removed";
  let payload: unknown = { commentId: comment.id, parentId: comment.parent_id };
  if (change.type !== "comment.removed" && change.author) {
    const viewer = visible ? null : { user: change.author, sessionId: "" };
    const presented = presentComment(
      {
        config: deps.config,
        viewer,
        authors: new Map([[change.author.id, change.author]]),
        viewerReactions: new Map(),
      },
      comment,
    );
    payload = { commentId: comment.id, parentId: comment.parent_id, comment: presented };
  }
  const seq = await recordEvent(trx, {
    storyId: comment.story_id,
    type: change.type,
    commentId: comment.id,
    audience: change.type === "comment.removed" || visible ? null : comment.author_id,
    payload,
    now: deps.clock.now(),
  });
  pending.add(comment.story_id, seq);
}

export async function recordStoryEvent(
  trx: Transaction<Database>,
  deps: Deps,
  pending: PendingEvents,
  event: { storyId: string; type: StoryEventType; commentId?: string; payload: unknown },
): Promise<void> {
  pending.add(event.storyId, await recordEvent(trx, { ...event, now: deps.clock.now() }));
}
