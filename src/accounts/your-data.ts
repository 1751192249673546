import type { Transaction } from "kysely";
import { addToReplyCount, addToStoryCount, deleteCommentRow, markRemoved } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { audit } from "../audit/log.js";
import { recount } from "../reactions/store.js";
import { forgetSuggester } from "../corrections/store.js";
import type { Database } from "../store/schema.js";
import type { Actor } from "./actor.js";
import { presentSelf, presentSession } from "./presenter.js";
import { accountSettings } from "./settings.js";
import type { ExportQuote } from "./schemas.js";
import { appealsOfStatements, forgetNotifier, noticesBy, statementsOf } from "../compliance/store.js";

/** Statements of reasons and notices in an export: as many as a reader could plausibly have. */
const EXPORT_COMPLIANCE_LIMIT = 10_000;

/** The author every kept comment of a deleted account moves to. */
export const DELETED_USER_ID = "deleted-user";
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Everything Parley holds about the caller, as one JSON document (GDPR Art. 15 and 20). */
export async function exportAccount(deps: Deps, actor: Actor) {
  const db = deps.store.read;
  const userId = actor.user.id;
  const [comments, revisions, reactions, reports, sessions, identities, siteRoles] = await Promise.all([
    db
      .selectFrom("comments")
      .innerJoin("stories", "stories.id", "comments.story_id")
      .select([
        "comments.id",
        "comments.site_id",
        "comments.story_id",
        "stories.url as story_url",
        "comments.parent_id",
        "comments.body",
        "comments.body_html",
        "comments.quote",
        "comments.status",
        "comments.created_at",
        "comments.edited_at",
      ])
      .where("comments.author_id", "=", userId)
      .orderBy("comments.created_at")
      .execute(),
    db
      .selectFrom("comment_revisions")
      .innerJoin("comments", "comments.id", "comment_revisions.comment_id")
      .select(["comment_revisions.comment_id", "comment_revisions.body", "comment_revisions.created_at"])
      .where("comments.author_id", "=", userId)
      .orderBy("comment_revisions.created_at")
      .execute(),
    db.selectFrom("reactions").select(["comment_id", "kind", "created_at"]).where("user_id", "=", userId).execute(),
    db
      .selectFrom("reports")
      .select(["comment_id", "reason", "note", "created_at", "resolved_at"])
      .where("reporter_id", "=", userId)
      .execute(),
    db
      .selectFrom("sessions")
      .select(["id", "created_at", "last_seen_at", "expires_at", "user_agent", "method"])
      .where("user_id", "=", userId)
      .execute(),
    db.selectFrom("user_identities").select(["provider", "subject", "created_at"]).where("user_id", "=", userId).execute(),
    db.selectFrom("user_site_roles").select(["site_id", "role"]).where("user_id", "=", userId).execute(),
  ]);
  const [statements, notices] = await Promise.all([
    statementsOf(db, userId, EXPORT_COMPLIANCE_LIMIT),
    noticesBy(db, userId, EXPORT_COMPLIANCE_LIMIT),
  ]);
  const appeals = new Map((await appealsOfStatements(db, statements.map((s) => s.id))).map((a) => [a.statement_id, a]));
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
    decisions: statements.map((st) => {
      const appeal = appeals.get(st.id);
      return {
        id: st.id,
        commentId: st.comment_id,
        action: st.action,
        ground: st.ground,
        law: st.law,
        reason: st.reason,
        explanation: st.explanation,
        automated: Number(st.automated) === 1,
        decidedAt: iso(Number(st.decided_at)),
        appealUntil: iso(Number(st.appeal_until)),
        appeal: appeal
          ? { status: appeal.status, explanation: appeal.explanation, note: appeal.note, createdAt: iso(Number(appeal.created_at)), decidedAt: iso(appeal.decided_at === null ? null : Number(appeal.decided_at)) }
          : null,
      };
    }),
    notices: notices.map((n) => ({
      commentId: n.comment_id,
      law: n.law,
      explanation: n.explanation,
      email: n.reporter_email,
      status: n.status,
      createdAt: iso(Number(n.created_at)),
      decidedAt: iso(n.decided_at === null ? null : Number(n.decided_at)),
    })),
  };
}

async function ensureDeletedUser(deps: Deps, trx: Transaction<Database>): Promise<void> {
  await trx
    .insertInto("users")
    .values({
      id: DELETED_USER_ID,
      email: null,
      password_hash: null,
      display_name: "deleted user",
      role: "commenter",
      status: "banned",
      suspended_until: null,
      created_at: 0,
      warning: null,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** Removes one comment as its author would (tombstone when answered), keeping every count true. */
async function removeComment(
  trx: Transaction<Database>,
  c: { id: string; status: string; story_id: string; parent_id: string | null },
): Promise<"deleted" | "tombstone" | "kept"> {
  if (c.status === "removed") return "kept";
  const wasPublished = c.status === "published";
  if (wasPublished) await addToStoryCount(trx, c.story_id, -1);
  const child = await trx.selectFrom("comments").select("id").where("parent_id", "=", c.id).limit(1).executeTakeFirst();
  if (child) {
    await markRemoved(trx, c.id);
    if (!wasPublished && c.parent_id) await addToReplyCount(trx, c.parent_id, 1);
    return "tombstone";
  }
  await deleteCommentRow(trx, c.id);
  if (wasPublished && c.parent_id) await addToReplyCount(trx, c.parent_id, -1);
  return "deleted";
}

/**
 * Deletes the caller's account in one transaction. Per site setting, their comments are
 * removed (tombstones where others replied) or kept under "deleted user"; reactions are
 * withdrawn, open reports stay (under "deleted user") so moderators still see them.
 */
export async function deleteAccount(deps: Deps, actor: Actor): Promise<{ removed: number; anonymized: number }> {
  const userId = actor.user.id;
  const comments = await deps.store.db
    .selectFrom("comments")
    .select(["id", "site_id", "status", "story_id", "parent_id", "depth"])
    .where("author_id", "=", userId)
    .orderBy("depth", "desc")
    .execute();
  const policy = new Map<string, "remove" | "anonymize">();
  for (const siteId of new Set(comments.map((c) => c.site_id))) policy.set(siteId, (await accountSettings(deps, siteId)).deletion);

  return deps.store.db.transaction().execute(async (trx) => {
    await ensureDeletedUser(deps, trx);
    let removed = 0;
    let anonymized = 0;
    for (const c of comments) {
      if (policy.get(c.site_id) === "remove") {
        if ((await removeComment(trx, c)) !== "deleted") anonymized++;
        else removed++;
      } else anonymized++;
    }
    await trx.updateTable("comments").set({ author_id: DELETED_USER_ID, ip_hash: null }).where("author_id", "=", userId).execute();
    // A suggested correction stays with the newsroom (an accepted one is on the story), its reader forgotten.
    await forgetSuggester(trx, userId, DELETED_USER_ID);
    await forgetNotifier(trx, userId);

    const reactions = await trx.selectFrom("reactions").select("comment_id").where("user_id", "=", userId).execute();
    await trx.deleteFrom("reactions").where("user_id", "=", userId).execute();
    const perComment = new Map<string, number>();
    for (const r of reactions) perComment.set(r.comment_id, (perComment.get(r.comment_id) ?? 0) + 1);
    for (const [commentId, n] of perComment) await recount(trx, commentId, -n);

    await trx.deleteFrom("reports").where("reporter_id", "=", userId).where("resolved_at", "is not", null).execute();
    await trx
      .updateTable("reports")
      .set({ reporter_id: DELETED_USER_ID, note: null })
      .where("reporter_id", "=", userId)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("reports as other")
              .select("other.id")
              .whereRef("other.comment_id", "=", "reports.comment_id")
              .where("other.reporter_id", "=", DELETED_USER_ID),
          ),
        ),
      )
      .execute();
    const clashing = await trx.selectFrom("reports").select("comment_id").where("reporter_id", "=", userId).execute();
    for (const r of clashing) {
      await trx
        .updateTable("comments")
        .set((eb) => ({ open_reports: eb("open_reports", "-", 1) }))
        .where("id", "=", r.comment_id)
        .where("open_reports", ">", 0)
        .execute();
    }
    await trx.deleteFrom("reports").where("reporter_id", "=", userId).execute();
    await trx.deleteFrom("idempotency_keys").where("user_id", "=", userId).execute();
    await trx.deleteFrom("users").where("id", "=", userId).execute();
    // The log keeps the id (pseudonymous, no longer linked to anyone) and counts, never the person.
    await audit(deps, trx, {
      actorId: userId,
      action: "account.delete",
      targetType: "user",
      targetId: userId,
      after: { commentsRemoved: removed, commentsKept: anonymized, reactionsWithdrawn: reactions.length },
    });
    return { removed, anonymized };
  });
}
