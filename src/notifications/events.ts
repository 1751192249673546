import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { CommentRow, CorrectionRow, Database, StoryRow } from "../store/schema.js";
import { enqueue } from "./outbox.js";

export { EVENT_TYPES, type EventType } from "../shared/notifications.js";
import type { EventType } from "../shared/notifications.js";

/** A comment as the event saw it: what webhooks send and notifications quote. */
export interface CommentSnapshot {
  id: string;
  siteId: string;
  storyId: string;
  parentId: string | null;
  authorId: string;
  status: string;
  body: string;
  bodyHtml: string;
  quote: { source: "story" | "comment"; commentId?: string; text: string } | null;
  createdAt: string;
}

export interface StorySnapshot {
  id: string;
  siteId: string;
  url: string;
  title: string;
  author: string | null;
  publishedAt: string | null;
  createdAt: string;
}

/** An accepted correction as a CMS appends it to its article. */
export interface CorrectionSnapshot {
  id: string;
  storyId: string;
  note: string;
  quote: { text: string } | null;
  acceptedAt: string;
}

export type EventData =
  | { type: "comment.created" | "comment.published" | "comment.deleted" | "comment.featured"; comment: CommentSnapshot }
  | { type: "comment.rejected"; comment: CommentSnapshot; reason: { code: string | null; text: string | null } }
  | { type: "comment.reported"; comment: CommentSnapshot; report: { reason: string; held: boolean } }
  | { type: "user.banned"; user: { id: string; displayName: string }; reason: string | null }
  | { type: "story.created"; story: StorySnapshot }
  | { type: "story.corrected"; correction: CorrectionSnapshot; readerIds: string[] }
  | { type: "moderation.backlog"; siteId: string; pending: number; oldestPendingAt: string; minutes: number };

/** What an `event` job carries: the event id is the id webhooks and notifications are keyed by. */
export interface OutboxEvent {
  id: string;
  type: EventType;
  siteId: string | null;
  occurredAt: string;
  data: EventData;
}

type EventInput =
  | { type: "comment.created" | "comment.published" | "comment.deleted" | "comment.featured"; comment: CommentRow }
  | { type: "comment.rejected"; comment: CommentRow; reason?: { code?: string | null; text?: string | null } }
  | { type: "comment.reported"; comment: CommentRow; report: { reason: string; held: boolean } }
  | { type: "user.banned"; user: { id: string; display_name: string }; siteId: string | null; reason?: string | null }
  | { type: "story.created"; story: StoryRow }
  | { type: "story.corrected"; correction: CorrectionRow; readers: string[] }
  | { type: "moderation.backlog"; siteId: string; pending: number; oldestPendingAt: number; minutes: number };

const iso = (ms: number) => new Date(ms).toISOString();

export function snapshotComment(row: CommentRow): CommentSnapshot {
  const quote = row.quote ? (JSON.parse(row.quote) as CommentSnapshot["quote"] & { label?: string; href?: string }) : null;
  return {
    id: row.id,
    siteId: row.site_id,
    storyId: row.story_id,
    parentId: row.parent_id,
    authorId: row.author_id,
    status: row.status,
    body: row.body,
    bodyHtml: row.body_html,
    quote: quote ? { source: quote.source, ...(quote.commentId ? { commentId: quote.commentId } : {}), text: quote.text } : null,
    createdAt: iso(row.created_at),
  };
}

function toData(input: EventInput): { siteId: string | null; data: EventData } {
  switch (input.type) {
    case "comment.rejected":
      return {
        siteId: input.comment.site_id,
        data: {
          type: input.type,
          comment: snapshotComment(input.comment),
          reason: { code: input.reason?.code ?? null, text: input.reason?.text ?? null },
        },
      };
    case "comment.reported":
      return { siteId: input.comment.site_id, data: { type: input.type, comment: snapshotComment(input.comment), report: input.report } };
    case "user.banned":
      return {
        siteId: input.siteId,
        data: { type: input.type, user: { id: input.user.id, displayName: input.user.display_name }, reason: input.reason ?? null },
      };
    case "story.created": {
      const s = input.story;
      return {
        siteId: s.site_id,
        data: {
          type: input.type,
          story: {
            id: s.id,
            siteId: s.site_id,
            url: s.url,
            title: s.title,
            author: s.author,
            publishedAt: s.published_at === null ? null : iso(s.published_at),
            createdAt: iso(s.created_at),
          },
        },
      };
    }
    case "moderation.backlog":
      return {
        siteId: input.siteId,
        data: { type: input.type, siteId: input.siteId, pending: input.pending, oldestPendingAt: iso(input.oldestPendingAt), minutes: input.minutes },
      };
    case "story.corrected": {
      const c = input.correction;
      return {
        siteId: c.site_id,
        data: {
          type: input.type,
          correction: {
            id: c.id,
            storyId: c.story_id,
            note: c.note ?? "",
            quote: c.quote_text ? { text: c.quote_text } : null,
            acceptedAt: iso(c.decided_at ?? c.created_at),
          },
          readerIds: input.readers,
        },
      };
    }
    default:
      return { siteId: input.comment.site_id, data: { type: input.type, comment: snapshotComment(input.comment) } };
  }
}

/**
 * Records that something happened, in the transaction of the change: one `event` job,
 * which the worker later turns into webhook deliveries, notifications and e-mails.
 */
export async function enqueueEvent(trx: Transaction<Database>, deps: Deps, input: EventInput): Promise<void> {
  const id = `evt_${deps.ids.next()}`;
  const { siteId, data } = toData(input);
  const event: OutboxEvent = { id, type: input.type, siteId, occurredAt: iso(deps.clock.now()), data };
  await enqueue(trx, deps, { kind: "event", key: id, siteId, payload: event });
}
