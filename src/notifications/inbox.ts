import type { Kysely, Transaction } from "kysely";
import { timeOrderedIds } from "../context.js";
import type { Deps } from "../deps.js";
import type { Database, NotificationKind, NotificationRow } from "../store/schema.js";
import { insertNotification, insertNotifications, notificationsOf } from "./store.js";

export { markRead, unreadCount } from "./store.js";

type Db = Kysely<Database> | Transaction<Database>;

/** What a notification shows; stored with it so the list needs no joins. */
export interface NotificationData {
  storyTitle?: string;
  storyUrl?: string;
  /** The start of the comment, as plain text. */
  excerpt?: string;
  actorName?: string;
  /** A rejection's reason code and text; a staff message's text. */
  reasonCode?: string | null;
  message?: string | null;
  /** A rejection's statement of reasons (EU DSA): which decision to appeal, and until when (ms). */
  decisionId?: string;
  appealUntil?: number;
}

export interface NewNotification {
  key: string;
  userId: string;
  kind: NotificationKind;
  siteId: string | null;
  storyId?: string | null;
  commentId?: string | null;
  actorId?: string | null;
  data: NotificationData;
  digest?: boolean;
  /** When it happened (the event's time); now by default. The list is ordered by it. */
  at?: number;
}

function rowOf(deps: Deps, n: NewNotification) {
  // Ids sort by time: one made for the event's time keeps the list in the order things happened.
  const id = n.at === undefined ? deps.ids.next() : timeOrderedIds({ now: () => n.at! }).next();
  return {
    id,
    user_id: n.userId,
    key: n.key,
    kind: n.kind,
    site_id: n.siteId,
    story_id: n.storyId ?? null,
    comment_id: n.commentId ?? null,
    actor_id: n.actorId ?? null,
    data: JSON.stringify(n.data),
    created_at: n.at ?? deps.clock.now(),
    read_at: null,
    digest: n.digest ? 1 : 0,
    digest_key: null,
  };
}

/** Inserts once per key; returns the id, or null when it already existed. */
export async function addNotification(db: Db, deps: Deps, n: NewNotification): Promise<string | null> {
  const row = rowOf(deps, n);
  return (await insertNotification(db, row)) ? row.id : null;
}

/** Inserts many in one statement, each once per key; returns the keys that were new. */
export async function addNotifications(db: Db, deps: Deps, list: NewNotification[]): Promise<Set<string>> {
  if (list.length === 0) return new Set();
  return insertNotifications(db, list.map((n) => rowOf(deps, n)));
}

export interface PresentedNotification {
  id: string;
  kind: NotificationKind;
  storyId: string | null;
  commentId: string | null;
  storyTitle: string | null;
  url: string | null;
  excerpt: string | null;
  actorName: string | null;
  reasonCode: string | null;
  message: string | null;
  decisionId: string | null;
  appealUntil: string | null;
  createdAt: string;
  read: boolean;
}

export function commentUrl(storyUrl: string | undefined, commentId: string | null): string | null {
  if (!storyUrl) return null;
  return commentId ? `${storyUrl}#comment-${commentId}` : storyUrl;
}

export function presentNotification(row: NotificationRow): PresentedNotification {
  const data = JSON.parse(row.data) as NotificationData;
  return {
    id: row.id,
    kind: row.kind,
    storyId: row.story_id,
    commentId: row.comment_id,
    storyTitle: data.storyTitle ?? null,
    url: commentUrl(data.storyUrl, row.comment_id),
    excerpt: data.excerpt ?? null,
    actorName: data.actorName ?? null,
    reasonCode: data.reasonCode ?? null,
    message: data.message ?? null,
    decisionId: data.decisionId ?? null,
    appealUntil: data.appealUntil === undefined ? null : new Date(data.appealUntil).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    read: row.read_at !== null,
  };
}

/** Newest first, keyset on the (time-ordered) id. */
export async function listNotifications(db: Db, userId: string, page: { limit: number; before?: string; unread?: boolean }) {
  const rows = await notificationsOf(db, userId, { ...page, limit: page.limit + 1 });
  const items = rows.slice(0, page.limit);
  return { items, next: rows.length > page.limit ? items[items.length - 1]!.id : null };
}
