import type { Kysely, Transaction } from "kysely";
import { prepared } from "../store/prepared.js";
import type { Database, StoryEventType } from "../store/schema.js";

export interface StoryEvent {
  storyId: string;
  seq: number;
  type: StoryEventType;
  commentId: string | null;
  /** null: every reader; a user id: that user and the moderators. */
  audience: string | null;
  payload: unknown;
  createdAt: number;
}

const nextSeq = prepared<[string], { event_seq: number }>((db, slot) =>
  db
    .updateTable("stories")
    .set((eb) => ({ event_seq: eb("event_seq", "+", 1) }))
    .where("id", "=", slot(0))
    .returning("event_seq"),
);

const insertEvent = prepared<[string, number, StoryEventType, string | null, string | null, string, number], never>(
  (db, slot) =>
    db.insertInto("story_events").values({
      story_id: slot(0),
      seq: slot(1),
      type: slot(2),
      comment_id: slot(3),
      audience: slot(4),
      payload: slot(5),
      created_at: slot(6),
    }),
);

/**
 * Records an event in the transaction of the change it describes. The story row's
 * `event_seq` hands out ids in order (and serialises concurrent writers per story).
 */
export async function recordEvent(
  trx: Transaction<Database>,
  event: {
    storyId: string;
    type: StoryEventType;
    commentId?: string | null;
    audience?: string | null;
    payload: unknown;
    now: number;
  },
): Promise<number> {
  const [row] = (await nextSeq(trx, event.storyId)).rows;
  if (!row) throw new Error(`no story ${event.storyId} to record an event on`);
  const seq = Number(row.event_seq);
  const payload = JSON.stringify(event.payload);
  await insertEvent(
    trx,
    event.storyId,
    seq,
    event.type,
    event.commentId ?? null,
    event.audience ?? null,
    payload,
    event.now,
  );
  return seq;
}

/** Events of a story after a position, oldest first, at most `limit`. */
export async function eventsAfter(
  db: Kysely<Database>,
  storyId: string,
  after: number,
  limit = 500,
): Promise<StoryEvent[]> {
  const rows = await db
    .selectFrom("story_events")
    .selectAll()
    .where("story_id", "=", storyId)
    .where("seq", ">", after)
    .orderBy("seq", "asc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    storyId: r.story_id,
    seq: Number(r.seq),
    type: r.type,
    commentId: r.comment_id,
    audience: r.audience,
    payload: JSON.parse(r.payload) as unknown,
    createdAt: r.created_at,
  }));
}

export async function latestSeq(db: Kysely<Database>, storyId: string): Promise<number | undefined> {
  const row = await db.selectFrom("stories").select("event_seq").where("id", "=", storyId).executeTakeFirst();
  return row ? Number(row.event_seq) : undefined;
}

/** Events older than the retention window are deleted; a client that far behind reloads the thread. */
export async function pruneEvents(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom("story_events").where("created_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
