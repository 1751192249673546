import { SCORED_ABOVE } from "../bridging/provisional.js";
import type { Actor, SiteScope } from "../accounts/actor.js";
import { presentUser } from "../accounts/presenter.js";
import { entitlementsOf } from "../accounts/entitlements.js";
import { findUsersByIds } from "../accounts/store.js";
import { presentComment } from "../comments/presenter.js";
import type { Deps } from "../deps.js";
import type { CommentRow, UserRow } from "../store/schema.js";
import type { Reason } from "./verdict.js";
import { type Queue, decodeQueueCursor, encodeQueueCursor } from "./queue-cursor.js";
import * as store from "./store.js";
import { commentsByIds, storiesForQueue } from "./store-desk.js";

const DAY = 24 * 3600 * 1000;

export interface AuthorSummary {
  user: ReturnType<typeof presentUser> & {
    status: UserRow["status"];
    suspendedUntil: string | null;
    premod: boolean;
    entitlements: string[];
  };
  accountAgeDays: number;
  counts: { published: number; pending: number; rejected: number };
  actions: number;
}

/**
 * The author's standing at a glance: age, how their comments fared and how often moderators
 * acted, counted on the sites the viewer moderates (`sites`).
 */
export async function authorSummaries(deps: Deps, users: UserRow[], sites: SiteScope): Promise<Map<string, AuthorSummary>> {
  const ids = users.map((u) => u.id);
  const [counts, actions] = await Promise.all([
    store.statusCounts(deps.store.read, ids, sites),
    store.actionCounts(deps.store.read, ids, sites),
  ]);
  const now = deps.clock.now();
  const result = new Map<string, AuthorSummary>();
  for (const user of users) {
    const mine = counts.filter((c) => c.author_id === user.id);
    const count = (status: string) => Number(mine.find((c) => c.status === status)?.n ?? 0);
    result.set(user.id, {
      user: {
        ...presentUser(deps.config, user),
        status: user.status,
        suspendedUntil: user.suspended_until ? new Date(user.suspended_until).toISOString() : null,
        premod: user.premod === 1,
        entitlements: entitlementsOf(user),
      },
      accountAgeDays: Math.floor((now - user.created_at) / DAY),
      counts: { published: count("published"), pending: count("pending"), rejected: count("rejected") },
      actions: Number(actions.find((a) => a.target_id === user.id)?.n ?? 0),
    });
  }
  return result;
}

/** At or below this a comment has no bridging score yet (only a provisional rank: src/bridging/provisional.ts). */
const UNSCORED_BELOW = SCORED_ABOVE;

/** The bridging model's view of a comment, for moderators only (readers see just the badge and the order). */
export function bridgingOf(row: CommentRow) {
  if (row.bridge_rank <= UNSCORED_BELOW) return null;
  return {
    rank: row.bridge_rank,
    intercept: row.bridge_intercept,
    factor: row.bridge_factor,
    ratings: row.bridge_ratings,
    badge: row.bridge_badge === 1,
  };
}

function positionOf(queue: Queue, row: CommentRow) {
  if (queue === "pending" || queue === "reported")
    return encodeQueueCursor({ queue, values: [row.priority, row.created_at, row.id] });
  if (queue === "rejected") return encodeQueueCursor({ queue, values: [row.decided_at ?? 0, row.id] });
  return encodeQueueCursor({ queue, values: [row.created_at, row.id] });
}

/** A page of a moderation queue, each item with everything needed to decide on one screen. */
export async function listQueue(props: {
  deps: Deps;
  actor: Actor;
  queue: Queue;
  filters: {
    sites: SiteScope;
    storyId?: string;
    authorId?: string;
    text?: string;
    section?: string;
    sectionLimits?: ReadonlyMap<string, readonly string[]>;
  };
  limit: number;
  cursor?: string;
}) {
  const { deps, actor, queue, limit } = props;
  const after = props.cursor ? decodeQueueCursor(props.cursor, queue) : undefined;
  const rows = await store.queuePage(deps.store.read, { queue, ...props.filters, limit, after });
  const page = rows.slice(0, limit);
  const parentIds = [...new Set(page.map((r) => r.parent_id).filter((id): id is string => id !== null))];
  const storyIds = [...new Set(page.map((r) => r.story_id))];
  const [parents, stories, reports] = await Promise.all([
    commentsByIds(deps.store.read, parentIds),
    storiesForQueue(deps.store.read, storyIds),
    store.openReportsOf(
      deps.store.read,
      page.map((r) => r.id),
    ),
  ]);
  const users = await findUsersByIds(deps.store.read, [...new Set([...page, ...parents].map((r) => r.author_id))]);
  const authors = new Map(users.map((u) => [u.id, u]));
  const summaries = await authorSummaries(
    deps,
    users.filter((u) => page.some((r) => r.author_id === u.id)),
    props.filters.sites,
  );
  const ctx = { config: deps.config, viewer: actor, authors, viewerReactions: new Map<string, string[]>() };
  const items = page.map((row) => {
    const parent = parents.find((p) => p.id === row.parent_id);
    return {
      comment: presentComment(ctx, row),
      story: stories.find((s) => s.id === row.story_id) ?? null,
      parent: parent ? presentComment(ctx, parent) : null,
      reasons: JSON.parse(row.reasons ?? "[]") as Reason[],
      scores: JSON.parse(row.scores ?? "{}") as Record<string, number>,
      reports: reports
        .filter((r) => r.comment_id === row.id)
        .map((r) => ({
          reason: r.reason,
          note: r.note,
          createdAt: new Date(r.created_at).toISOString(),
          reporter: { id: r.reporter_id, displayName: r.reporter_name },
        })),
      author: summaries.get(row.author_id) ?? null,
      bridging: bridgingOf(row),
    };
  });
  return { items, nextCursor: rows.length > limit ? positionOf(queue, page[page.length - 1]) : null };
}
