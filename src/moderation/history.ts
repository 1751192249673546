import { type Actor, type SiteScope, scopeSiteIds } from "../accounts/actor.js";
import { inScope } from "../accounts/guards.js";
import { findUserById } from "../accounts/store.js";
import { presentComment } from "../comments/presenter.js";
import type { Deps } from "../deps.js";
import { notFound } from "../errors.js";
import type { ModerationActionsTable } from "../store/schema.js";
import type { Selectable } from "kysely";
import { authorSummaries } from "./queue.js";
import { decodeQueueCursor, encodeQueueCursor } from "./queue-cursor.js";
import * as store from "./store.js";
import { auditEntries, authorCountsOnStory, storyHeading, userRecord } from "./store-desk.js";
import { presentNote } from "./users.js";
import { describeActions, reasonLabel } from "./describe.js";
import type { Reason } from "./verdict.js";

export function presentAction(a: Selectable<ModerationActionsTable>) {
  return {
    id: a.id,
    siteId: a.site_id,
    actorId: a.actor_id,
    action: a.action,
    targetType: a.target_type,
    targetId: a.target_id,
    reason: a.reason_code || a.reason_text ? { code: a.reason_code, text: a.reason_text } : null,
    // audit() records objects: the target's fields before and after.
    before: a.before ? (JSON.parse(a.before) as Record<string, unknown>) : null,
    after: a.after ? (JSON.parse(a.after) as Record<string, unknown>) : null,
    createdAt: new Date(a.created_at).toISOString(),
  };
}

/** Audit rows with the sentence and names a moderator reads (the raw fields stay for scripts). */
export async function presentActions(deps: Deps, rows: Selectable<ModerationActionsTable>[]) {
  const described = await describeActions(deps, rows);
  return rows.map((row, i) => ({
    ...presentAction(row),
    ...described[i],
    reason: row.reason_code || row.reason_text ? { code: row.reason_code, label: reasonLabel(row.reason_code), text: row.reason_text } : null,
  }));
}

/**
 * Everything moderators know of a user on the sites in `sites`: standing, comments (newest
 * first, paged), actions and notes. A moderator of some sites sees what happened there only;
 * installation-wide actions and notes (no site) are for moderators of every site.
 */
export async function userHistory(props: {
  deps: Deps;
  actor: Actor;
  userId: string;
  sites: SiteScope;
  limit: number;
  cursor?: string;
  /** The story the moderator came from: how many of the user's comments there a sweep would reject. */
  storyId?: string;
}) {
  const { deps, actor, limit, sites } = props;
  const user = await findUserById(deps.store.read, props.userId);
  if (!user) throw notFound("User");
  const onStory = props.storyId ? await commentsOnStory(deps, user.id, props.storyId, sites) : null;
  const after = props.cursor ? decodeQueueCursor(props.cursor, "all") : undefined;
  const rows = await store.queuePage(deps.store.read, { queue: "all", sites, authorId: user.id, limit, after });
  const page = rows.slice(0, limit);
  const siteIds = scopeSiteIds(sites);
  const [summary, { actionRows, noteRows }] = await Promise.all([
    authorSummaries(deps, [user], sites),
    userRecord(deps.store.read, { userId: user.id, commentIds: page.map((r) => r.id), siteIds, limit: 100 }),
  ]);
  const ctx = {
    config: deps.config,
    viewer: actor,
    authors: new Map([[user.id, user]]),
    viewerReactions: new Map<string, string[]>(),
  };
  const author = summary.get(user.id);
  if (!author) throw notFound("User");
  const last = page[page.length - 1];
  return {
    author,
    comments: {
      items: page.map((r) => ({
        comment: presentComment(ctx, r),
        reasons: JSON.parse(r.reasons ?? "[]") as Reason[],
      })),
      nextCursor:
        rows.length > limit && last ? encodeQueueCursor({ queue: "all", values: [last.created_at, last.id] }) : null,
    },
    actions: await presentActions(deps, actionRows),
    notes: noteRows.map(presentNote),
    onStory,
  };
}

/** The user's published and held comments on one story (of a site in scope), with the story's title. */
async function commentsOnStory(deps: Deps, userId: string, storyId: string, sites: SiteScope) {
  const story = await storyHeading(deps.store.read, storyId);
  if (!story || !inScope(sites, story.siteId)) return null;
  const counts = await authorCountsOnStory(deps.store.read, userId, storyId);
  return { id: story.id, title: story.title, ...counts };
}

/** The audit log, newest first, with filters. */
export async function auditLog(props: {
  deps: Deps;
  filters: { actorId?: string; action?: string; targetId?: string; sites: SiteScope; since?: string; until?: string };
  limit: number;
  cursor?: string;
}) {
  const { deps, filters, limit } = props;
  const after = props.cursor ? decodeQueueCursor(props.cursor, "all") : undefined;
  // Installation-wide entries (no site) are for moderators of every site only.
  const siteIds = scopeSiteIds(filters.sites);
  const since = filters.since ? Date.parse(filters.since) : Number.NaN;
  const until = filters.until ? Date.parse(filters.until) : Number.NaN;
  const rows = await auditEntries(deps.store.read, {
    actorId: filters.actorId,
    action: filters.action,
    targetId: filters.targetId,
    siteIds,
    since: Number.isNaN(since) ? undefined : since,
    until: Number.isNaN(until) ? undefined : until,
    before: after && after.length === 2 ? [after[0], after[1]] : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await presentActions(deps, page),
    nextCursor:
      rows.length > limit && last ? encodeQueueCursor({ queue: "all", values: [last.created_at, last.id] }) : null,
  };
}
