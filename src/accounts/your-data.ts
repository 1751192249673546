import { removeComment } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { audit } from "../audit/log.js";
import { recount } from "../reactions/store.js";
import { forgetSuggester } from "../corrections/store.js";
import type { Actor } from "./actor.js";
import { presentSelf, presentSession } from "./presenter.js";
import { accountSettings } from "./settings.js";
import type { ExportQuote } from "./schemas.js";
import {
  commentsByAuthor,
  dataOf,
  deleteReactionsOf,
  deleteUserRow,
  ensureUser,
  handOverReports,
  reassignComments,
} from "./store-data.js";

/** The author every kept comment of a deleted account moves to. */
export const DELETED_USER_ID = "deleted-user";
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Everything Parley holds about the caller, as one JSON document (GDPR Art. 15 and 20). */
export async function exportAccount(deps: Deps, actor: Actor) {
  const db = deps.store.read;
  const userId = actor.user.id;
  const { comments, revisions, reactions, reports, sessions, identities, siteRoles } = await dataOf(db, userId);
  await audit(deps, deps.store.db, { actorId: userId, action: "account.export", targetType: "user", targetId: userId });
  return {
    exportedAt: new Date(deps.clock.now()).toISOString(),
    profile: { ...presentSelf(deps.config, actor.user), siteRoles, identities: identities.map((i) => ({ ...i, created_at: iso(i.created_at) })) },
    comments: comments.map((c) => ({
      id: c.id,
      siteId: c.site_id,
      storyId: c.story_id,
      storyUrl: c.story_url,
      parentId: c.parent_id,
      body: c.body,
      bodyHtml: c.body_html,
      quote: c.quote ? (JSON.parse(c.quote) as ExportQuote) : null,
      status: c.status,
      createdAt: iso(c.created_at),
      editedAt: iso(c.edited_at),
      revisions: revisions
        .filter((r) => r.comment_id === c.id)
        .map((r) => ({ body: r.body, createdAt: iso(r.created_at) })),
    })),
    reactions: reactions.map((r) => ({ commentId: r.comment_id, kind: r.kind, createdAt: iso(r.created_at) })),
    reports: reports.map((r) => ({
      commentId: r.comment_id,
      reason: r.reason,
      note: r.note,
      createdAt: iso(r.created_at),
      resolvedAt: iso(r.resolved_at),
    })),
    sessions: sessions.map(presentSession),
  };
}

/**
 * Deletes the caller's account in one transaction. Per site setting, their comments are
 * removed (tombstones where others replied) or kept under "deleted user"; reactions are
 * withdrawn, open reports stay (under "deleted user") so moderators still see them.
 */
export async function deleteAccount(deps: Deps, actor: Actor): Promise<{ removed: number; anonymized: number }> {
  const userId = actor.user.id;
  const comments = await commentsByAuthor(deps.store.db, userId);
  const policy = new Map<string, "remove" | "anonymize">();
  for (const siteId of new Set(comments.map((c) => c.siteId))) policy.set(siteId, (await accountSettings(deps, siteId)).deletion);

  return deps.store.db.transaction().execute(async (trx) => {
    await ensureUser(trx, { id: DELETED_USER_ID, displayName: "deleted user" });
    let removed = 0;
    let anonymized = 0;
    for (const c of comments) {
      // A comment already removed stays the tombstone it is.
      if (policy.get(c.siteId) === "remove" && c.status !== "removed") {
        if ((await removeComment(trx, c)) !== "deleted") anonymized++;
        else removed++;
      } else anonymized++;
    }
    await reassignComments(trx, userId, DELETED_USER_ID);
    // A suggested correction stays with the newsroom (an accepted one is on the story), its reader forgotten.
    await forgetSuggester(trx, userId, DELETED_USER_ID);

    const perComment = await deleteReactionsOf(trx, userId);
    let withdrawn = 0;
    for (const [commentId, n] of perComment) {
      await recount(trx, commentId, -n);
      withdrawn += n;
    }

    await handOverReports(trx, userId, DELETED_USER_ID);
    await deleteUserRow(trx, userId);
    // The log keeps the id (pseudonymous, no longer linked to anyone) and counts, never the person.
    await audit(deps, trx, {
      actorId: userId,
      action: "account.delete",
      targetType: "user",
      targetId: userId,
      after: { commentsRemoved: removed, commentsKept: anonymized, reactionsWithdrawn: withdrawn },
    });
    return { removed, anonymized };
  });
}
