import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { Database, OutboxJobRow } from "../store/schema.js";
import type { CommentSnapshot, OutboxEvent } from "./events.js";
import { type NewNotification, type NotificationData, addNotifications } from "./inbox.js";
import { digestJob } from "./mail.js";
import { enqueue, enqueueMany, updatePayload } from "./outbox.js";
import { siteNotificationSettings } from "./prefs.js";
import { followersAfter, hasFollowers } from "./store.js";
import { WorkerStopping } from "./worker.js";

/** Followers told per transaction: every transaction stays short, however many follow a story. */
export const FOLLOWERS_PER_BATCH = 500;

/** What a `followers` job carries: a new comment to tell a story's followers about, and how far that got. */
export interface FollowersJob {
  eventId: string;
  occurredAt: string;
  comment: { id: string; siteId: string; storyId: string; authorId: string };
  data: NotificationData;
  /** Readers the event told already (the author, a quoted reader): not again as followers. */
  skip: string[];
  /** The last follower (in user id order) whose notification is committed; null before the first batch. */
  after: string | null;
}

/**
 * Called by the event's fan-out, in its transaction: one `followers` job, keyed by the
 * event, when anyone besides `skip` follows the story. The followers are told by the job,
 * in batches, not in this transaction.
 */
export async function enqueueFollowers(
  trx: Transaction<Database>,
  deps: Deps,
  event: OutboxEvent,
  comment: CommentSnapshot,
  data: NotificationData,
  skip: string[],
): Promise<void> {
  if (!(await hasFollowers(trx, comment.storyId, skip))) return;
  const payload: FollowersJob = {
    eventId: event.id,
    occurredAt: event.occurredAt,
    comment: { id: comment.id, siteId: comment.siteId, storyId: comment.storyId, authorId: comment.authorId },
    data,
    skip,
    after: null,
  };
  await enqueue(trx, deps, { kind: "followers", key: `followers:${event.id}`, siteId: comment.siteId, payload });
}

/**
 * Tells the next batch of followers: their notifications, the digest jobs they call for,
 * and the job's cursor, all in one transaction. A crash rolls the batch back whole, so the
 * next attempt starts after the last committed batch: nobody is skipped, nobody told twice
 * (the notification keys would refuse a second one anyway). Throws when another worker has
 * taken the job over. Returns the progress, or null when every follower has been told.
 */
export async function tellFollowersBatch(deps: Deps, job: OutboxJobRow, worker: string, progress: FollowersJob): Promise<FollowersJob | null> {
  // Read before the transaction: inside it, a second connection from a small pool could deadlock.
  const site = await siteNotificationSettings(deps, progress.comment.siteId);
  return deps.store.db.transaction().execute(async (trx) => {
    const batch = await followersAfter(trx, {
      storyId: progress.comment.storyId,
      skip: progress.skip,
      after: progress.after,
      limit: FOLLOWERS_PER_BATCH,
    });
    if (batch.length === 0) return null;

    const { comment } = progress;
    const at = Date.parse(progress.occurredAt);
    const notifications: NewNotification[] = batch.map((f) => ({
      key: `${progress.eventId}:story.comment:${f.userId}`,
      userId: f.userId,
      kind: "story.comment",
      siteId: comment.siteId,
      storyId: comment.storyId,
      commentId: comment.id,
      actorId: comment.authorId,
      data: progress.data,
      digest: f.mode === "digest" && site.emails.follows,
      at,
    }));
    const added = await addNotifications(trx, deps, notifications);
    const digests = notifications.filter((n) => n.digest && added.has(n.key)).map((n) => digestJob(deps, n.userId));
    await enqueueMany(trx, deps, digests);

    const next: FollowersJob = { ...progress, after: batch[batch.length - 1]!.userId };
    if (!(await updatePayload(trx, deps, job, worker, next))) {
      throw new Error("another worker has taken this job over");
    }
    return batch.length < FOLLOWERS_PER_BATCH ? null : next;
  });
}

/** A `followers` job: batch after batch from its cursor; a stopping worker puts it down between two. */
export async function tellFollowers(deps: Deps, job: OutboxJobRow, worker: string, signal?: AbortSignal): Promise<void> {
  let progress: FollowersJob | null = JSON.parse(job.payload) as FollowersJob;
  while (progress) {
    if (signal?.aborted) throw new WorkerStopping();
    progress = await tellFollowersBatch(deps, job, worker, progress);
  }
}
