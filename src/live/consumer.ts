import { presentComment } from "../comments/presenter.js";
import { invalidateStory } from "../comments/page-cache.js";
import type { Delivery, EventSpine } from "../events/spine.js";
import { presentStory } from "../stories/presenter.js";
import { presentStoryCorrection } from "../corrections/presenter.js";
import type { CommentRow, StoryEventType, UserRow } from "../store/schema.js";
import type { QueueChange } from "./hub.js";
import { recordEvent } from "./store.js";

/** Records a story event in the write's transaction; once it commits, the story's cached pages go and its readers hear of it. */
async function recordStoryEvent(
  delivery: Delivery,
  event: { storyId: string; type: StoryEventType; commentId?: string; audience?: string | null; payload: unknown },
): Promise<void> {
  const { deps, trx } = delivery;
  const seq = await recordEvent(trx, { ...event, now: deps.clock.now() });
  // Seqs only grow within a transaction: the last event of a story is the one to announce.
  delivery.afterCommit(`story:${event.storyId}`, () => {
    invalidateStory(event.storyId);
    deps.live.notify(event.storyId, seq);
  });
}

/**
 * Records a change to a comment as readers will see it: the public view for a published
 * comment, the author's own view (audience: the author and moderators) for a held one.
 */
async function recordCommentEvent(
  delivery: Delivery,
  change: { type: StoryEventType; comment: CommentRow; author?: UserRow | undefined },
): Promise<void> {
  const { comment } = change;
  const visible = comment.status === "published" || comment.status === "removed";
  let payload: unknown = { commentId: comment.id, parentId: comment.parent_id };
  if (change.type !== "comment.removed" && change.author) {
    const viewer = visible ? null : { user: change.author, sessionId: "" };
    const presented = presentComment(
      {
        config: delivery.deps.config,
        viewer,
        authors: new Map([[change.author.id, change.author]]),
        viewerReactions: new Map(),
      },
      comment,
    );
    payload = { commentId: comment.id, parentId: comment.parent_id, comment: presented };
  }
  await recordStoryEvent(delivery, {
    storyId: comment.story_id,
    type: change.type,
    commentId: comment.id,
    audience: change.type === "comment.removed" || visible ? null : comment.author_id,
    payload,
  });
}

/** Tells the desks' queues a comment moved, once the write has committed. */
function queueChanged(delivery: Delivery, comment: CommentRow, status: QueueChange["status"]): void {
  const change: QueueChange = {
    type: "queue.changed",
    siteId: comment.site_id,
    storyId: comment.story_id,
    commentId: comment.id,
    status,
  };
  delivery.afterCommit(`queue:${comment.id}`, () => delivery.deps.live.queueChanged(change));
}

/** Live readers and the desks' queues: story events in the write's transaction, announced after it commits. */
export function registerLiveConsumers(spine: EventSpine): void {
  spine
    .on(["note.status_changed"], "live", async (e, d) => {
      await recordStoryEvent(d, { storyId: e.storyId, type: "note.updated", payload: { noteId: e.noteId, status: e.status } });
    })
    .on(["question.answered"], "live", (e, d) =>
      recordCommentEvent(d, { type: "comment.updated", comment: e.question, author: e.author }),
    )
    .on(["story.corrected"], "live", (e, d) =>
      recordStoryEvent(d, { storyId: e.correction.story_id, type: "story.corrected", payload: { correction: presentStoryCorrection(e.correction) } }),
    )
    .on(["comment.created"], "live", async (e, d) => {
      await recordCommentEvent(d, { type: "comment.created", comment: e.comment, author: e.author });
      if (e.comment.status === "pending") queueChanged(d, e.comment, "pending");
    })
    .on(["comment.edited"], "live", async (e, d) => {
      await recordCommentEvent(d, {
        type: e.withdrawn ? "comment.removed" : "comment.updated",
        comment: e.comment,
        author: e.author,
      });
      if (e.withdrawn) queueChanged(d, e.comment, e.comment.status);
    })
    .on(["comment.deleted"], "live", (e, d) =>
      recordCommentEvent(d, { type: "comment.removed", comment: { ...e.comment, status: "removed" } }),
    )
    .on(["comment.featured"], "live", async (e, d) => {
      if (e.comment.status === "published")
        await recordCommentEvent(d, { type: "comment.updated", comment: e.comment, author: e.author });
    })
    .on(["comment.moved"], "live", async (e, d) => {
      if (e.comment.status === "published" && e.from !== "published") {
        await recordCommentEvent(d, { type: "comment.published", comment: e.comment, author: e.author });
      } else if (e.comment.status === "rejected" && e.from === "published") {
        await recordCommentEvent(d, { type: "comment.removed", comment: e.comment });
      }
      queueChanged(d, e.comment, e.comment.status);
    })
    .on(["comment.reported"], "live", async (e, d) => {
      if (e.report.held)
        await recordCommentEvent(d, { type: "comment.removed", comment: { ...e.comment, status: "pending" } });
      queueChanged(d, e.comment, e.report.held ? "pending" : "reported");
    })
    .on(["reaction.changed"], "live", (e, d) =>
      recordStoryEvent(d, {
        storyId: e.storyId,
        type: "reaction.changed",
        commentId: e.commentId,
        payload: { commentId: e.commentId, reactions: e.reactions },
      }),
    )
    .on(["story.updated"], "live", (e, d) =>
      recordStoryEvent(d, { storyId: e.story.id, type: "story.updated", payload: { story: presentStory(e.story) } }),
    );
}
