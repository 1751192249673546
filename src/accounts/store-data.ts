import type { Kysely, Transaction } from "kysely";
import type { Database } from "../store/schema.js";

/** The queries of a reader's own data: the export (GDPR Art. 15 and 20) and the account's deletion. */

type Db = Kysely<Database> | Transaction<Database>;

/** Everything stored about a user besides the account itself, as the export lists it. */
export async function dataOf(db: Db, userId: string) {
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
  return { comments, revisions, reactions, reports, sessions, identities, siteRoles };
}

/** A user's comments, deepest first (replies before the comments they answer). */
export async function commentsByAuthor(db: Db, userId: string) {
  const rows = await db
    .selectFrom("comments")
    .select(["id", "site_id", "status", "story_id", "parent_id", "reply_count"])
    .where("author_id", "=", userId)
    .orderBy("depth", "desc")
    .execute();
  return rows.map((c) => ({
    id: c.id,
    siteId: c.site_id,
    status: c.status,
    storyId: c.story_id,
    parentId: c.parent_id,
    replyCount: c.reply_count,
  }));
}

/** The user every kept comment of a deleted account moves to, created on first use. */
export async function ensureUser(trx: Transaction<Database>, user: { id: string; displayName: string }): Promise<void> {
  await trx
    .insertInto("users")
    .values({
      id: user.id,
      email: null,
      password_hash: null,
      display_name: user.displayName,
      role: "commenter",
      status: "banned",
      suspended_until: null,
      created_at: 0,
      warning: null,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** Moves a user's comments to another author, forgetting the address hash they were posted from. */
export async function reassignComments(trx: Transaction<Database>, from: string, to: string): Promise<void> {
  await trx.updateTable("comments").set({ author_id: to, ip_hash: null }).where("author_id", "=", from).execute();
}

/** Deletes a user's reactions; returns how many each comment lost. */
export async function deleteReactionsOf(trx: Transaction<Database>, userId: string): Promise<Map<string, number>> {
  const reactions = await trx.selectFrom("reactions").select("comment_id").where("user_id", "=", userId).execute();
  await trx.deleteFrom("reactions").where("user_id", "=", userId).execute();
  const perComment = new Map<string, number>();
  for (const r of reactions) perComment.set(r.comment_id, (perComment.get(r.comment_id) ?? 0) + 1);
  return perComment;
}

/**
 * A user's reports: resolved ones go; open ones stay under `to` (without the note) so
 * moderators still see them, unless `to` already reported the same comment, when the
 * comment counts one open report less.
 */
export async function handOverReports(trx: Transaction<Database>, from: string, to: string): Promise<void> {
  await trx.deleteFrom("reports").where("reporter_id", "=", from).where("resolved_at", "is not", null).execute();
  await trx
    .updateTable("reports")
    .set({ reporter_id: to, note: null })
    .where("reporter_id", "=", from)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("reports as other")
            .select("other.id")
            .whereRef("other.comment_id", "=", "reports.comment_id")
            .where("other.reporter_id", "=", to),
        ),
      ),
    )
    .execute();
  const clashing = await trx.selectFrom("reports").select("comment_id").where("reporter_id", "=", from).execute();
  for (const r of clashing) {
    await trx
      .updateTable("comments")
      .set((eb) => ({ open_reports: eb("open_reports", "-", 1) }))
      .where("id", "=", r.comment_id)
      .where("open_reports", ">", 0)
      .execute();
  }
  await trx.deleteFrom("reports").where("reporter_id", "=", from).execute();
}

/** Deletes the account row, with the idempotency records of its writes. */
export async function deleteUserRow(trx: Transaction<Database>, userId: string): Promise<void> {
  await trx.deleteFrom("idempotency_keys").where("user_id", "=", userId).execute();
  await trx.deleteFrom("users").where("id", "=", userId).execute();
}
