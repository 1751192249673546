import type { Insertable, Kysely, Transaction } from "kysely";
import type { Database, MailMode, NotificationsTable, StoryFollowsTable } from "../store/schema.js";
import type { Endpoint, WebhookSecret } from "./webhooks.js";

type Db = Kysely<Database> | Transaction<Database>;

/** A site's webhooks, oldest first. */
export async function endpointIdsOf(db: Db, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("webhook_endpoints")
    .select("id")
    .where("site_id", "=", siteId)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.id);
}

export async function insertEndpoint(db: Db, endpoint: Endpoint, now: number): Promise<void> {
  await db
    .insertInto("webhook_endpoints")
    .values({
      id: endpoint.id,
      site_id: endpoint.siteId,
      url: endpoint.url,
      events: JSON.stringify(endpoint.events),
      secrets: JSON.stringify(endpoint.secrets),
      active: endpoint.active ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function saveEndpoint(db: Db, endpoint: Endpoint, now: number): Promise<void> {
  await db
    .updateTable("webhook_endpoints")
    .set({
      url: endpoint.url,
      events: JSON.stringify(endpoint.events),
      secrets: JSON.stringify(endpoint.secrets),
      active: endpoint.active ? 1 : 0,
      updated_at: now,
    })
    .where("id", "=", endpoint.id)
    .execute();
}

/** Removes a webhook with its delivery log. */
export async function deleteEndpoint(db: Db, id: string): Promise<void> {
  await db.deleteFrom("webhook_deliveries").where("endpoint_id", "=", id).execute();
  await db.deleteFrom("webhook_endpoints").where("id", "=", id).execute();
}

/** Whose a delivery is: its site and its webhook. */
export async function deliveryOwner(db: Db, id: string): Promise<{ siteId: string; endpointId: string } | undefined> {
  const row = await db
    .selectFrom("webhook_deliveries")
    .select(["site_id", "endpoint_id"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row && { siteId: row.site_id, endpointId: row.endpoint_id };
}

/** An outbox job's site and status. */
export async function jobState(db: Db, id: string) {
  const row = await db.selectFrom("outbox_jobs").select(["site_id", "status"]).where("id", "=", id).executeTakeFirst();
  return row && { siteId: row.site_id, status: row.status };
}

/** How a reader follows a story, if they do. */
export async function followOf(db: Db, storyId: string, userId: string) {
  const row = await db
    .selectFrom("story_follows")
    .select("mode")
    .where("story_id", "=", storyId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.mode;
}

export async function follow(
  db: Db,
  f: { storyId: string; userId: string; mode: StoryFollowsTable["mode"]; now: number },
): Promise<void> {
  await db
    .insertInto("story_follows")
    .values({ story_id: f.storyId, user_id: f.userId, mode: f.mode, created_at: f.now })
    .onConflict((oc) => oc.columns(["story_id", "user_id"]).doUpdateSet({ mode: f.mode }))
    .execute();
}

export async function unfollow(db: Db, storyId: string, userId: string): Promise<void> {
  await db.deleteFrom("story_follows").where("story_id", "=", storyId).where("user_id", "=", userId).execute();
}

/** A story's title and address, for a notification that names it. */
export function storyTitleAndUrl(db: Db, storyId: string) {
  return db.selectFrom("stories").select(["title", "url"]).where("id", "=", storyId).executeTakeFirst();
}

/** A comment's latest statement of reasons: what its rejection notification tells the author. */
export function latestStatement(db: Db, commentId: string) {
  return db
    .selectFrom("decision_statements")
    .select(["id", "explanation", "law", "appeal_until"])
    .where("comment_id", "=", commentId)
    .orderBy("decided_at", "desc")
    .executeTakeFirst();
}

// ---- Webhooks ----

/** A site's webhooks (or every site's), oldest first. */
export async function listEndpoints(db: Db, siteId: string | null): Promise<Endpoint[]> {
  let q = db.selectFrom("webhook_endpoints").selectAll();
  if (siteId !== null) q = q.where("site_id", "=", siteId);
  const rows = await q.orderBy("created_at").execute();
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    url: r.url,
    events: JSON.parse(r.events) as Endpoint["events"],
    secrets: JSON.parse(r.secrets) as WebhookSecret[],
    active: r.active === 1,
  }));
}

/** A webhook's site, if the webhook exists. */
export async function endpointSite(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom("webhook_endpoints").select("site_id").where("id", "=", id).executeTakeFirst();
  return row?.site_id;
}

/** One attempt at a delivery, for the webhook's log. */
export async function insertDelivery(
  db: Db,
  d: {
    id: string;
    endpointId: string;
    siteId: string;
    jobId: string;
    eventId: string;
    eventType: string;
    attempt: number;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto("webhook_deliveries")
    .values({
      id: d.id,
      endpoint_id: d.endpointId,
      site_id: d.siteId,
      job_id: d.jobId,
      event_id: d.eventId,
      event_type: d.eventType,
      attempt: d.attempt,
      status_code: d.statusCode,
      error: d.error,
      duration_ms: d.durationMs,
      created_at: d.now,
    })
    .execute();
}

/** A logged delivery's job and site. */
export async function findDelivery(db: Db, id: string): Promise<{ jobId: string; siteId: string } | undefined> {
  const row = await db.selectFrom("webhook_deliveries").select(["job_id", "site_id"]).where("id", "=", id).executeTakeFirst();
  return row && { jobId: row.job_id, siteId: row.site_id };
}

/** A webhook's delivery log, newest first, with a keyset cursor on the id. */
export async function listDeliveries(db: Db, endpointId: string, limit: number, before?: string) {
  let q = db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpointId);
  if (before) q = q.where("id", "<", before);
  return q.orderBy("id", "desc").limit(limit).execute();
}

export async function pruneDeliveries(db: Kysely<Database>, before: number): Promise<void> {
  await db.deleteFrom("webhook_deliveries").where("created_at", "<", before).execute();
}

// ---- In-app notifications ----

/** Inserts once per key; true when it was new. */
export async function insertNotification(db: Db, row: Insertable<NotificationsTable>): Promise<boolean> {
  const result = await db
    .insertInto("notifications")
    .values(row)
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Inserts many in one statement, each once per key; returns the keys that were new. */
export async function insertNotifications(db: Db, rows: Insertable<NotificationsTable>[]): Promise<Set<string>> {
  const inserted = await db
    .insertInto("notifications")
    .values(rows)
    .onConflict((oc) => oc.column("key").doNothing())
    .returning("key")
    .execute();
  return new Set(inserted.map((r) => r.key));
}

/** A reader's notifications, newest first from `before`: at most `limit` rows. */
export async function notificationsOf(db: Db, userId: string, page: { limit: number; before?: string; unread?: boolean }) {
  let q = db.selectFrom("notifications").selectAll().where("user_id", "=", userId);
  if (page.before) q = q.where("id", "<", page.before);
  if (page.unread) q = q.where("read_at", "is", null);
  return q.orderBy("id", "desc").limit(page.limit).execute();
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks some (or, without ids, all) of a reader's notifications read. */
export async function markRead(db: Db, userId: string, now: number, ids?: string[]): Promise<void> {
  let q = db.updateTable("notifications").set({ read_at: now }).where("user_id", "=", userId).where("read_at", "is", null);
  if (ids) q = q.where("id", "in", ids);
  await q.execute();
}

export function findNotification(db: Db, id: string) {
  return db.selectFrom("notifications").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * The items of the digest job `key`: its first attempt takes the reader's waiting items
 * (marks them with the key), and every attempt reads exactly those, so a retry sends the same mail.
 */
export async function takeDigestItems(db: Kysely<Database>, userId: string, key: string, limit: number) {
  const taken = await db.selectFrom("notifications").select("id").where("digest_key", "=", key).limit(1).executeTakeFirst();
  if (!taken) {
    await db
      .updateTable("notifications")
      .set({ digest_key: key })
      .where("user_id", "=", userId)
      .where("digest", "=", 1)
      .where("digest_key", "is", null)
      .execute();
  }
  return db.selectFrom("notifications").selectAll().where("digest_key", "=", key).orderBy("id").limit(limit).execute();
}

// ---- Readers: addresses and e-mail choices ----

/** A reader's address when they proved it, else null: a mail goes only to a proved address. */
export async function verifiedAddress(db: Db, userId: string): Promise<string | null> {
  const user = await db.selectFrom("users").select(["email", "email_verified_at"]).where("id", "=", userId).executeTakeFirst();
  return user?.email && user.email_verified_at ? user.email : null;
}

export async function userExists(db: Db, userId: string): Promise<boolean> {
  return (await db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst()) !== undefined;
}

/** A reader's stored e-mail choices, if they made any. */
export async function prefsOf(db: Db, userId: string) {
  const row = await db.selectFrom("notification_prefs").selectAll().where("user_id", "=", userId).executeTakeFirst();
  return row && { replies: row.replies, mentions: row.mentions, moderation: row.moderation === 1, lang: row.lang };
}

export async function savePrefs(
  db: Db,
  userId: string,
  prefs: { replies: MailMode; mentions: MailMode; moderation: boolean; lang: string; now: number },
): Promise<void> {
  const values = {
    replies: prefs.replies,
    mentions: prefs.mentions,
    moderation: prefs.moderation ? 1 : 0,
    lang: prefs.lang,
    updated_at: prefs.now,
  };
  await db
    .insertInto("notification_prefs")
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
    .execute();
}

/** Takes a reader out of the digest: their follows tell them in the app only, and waiting items leave the digest. */
export async function leaveDigest(db: Db, userId: string): Promise<void> {
  await db.updateTable("story_follows").set({ mode: "inapp" }).where("user_id", "=", userId).execute();
  await db
    .updateTable("notifications")
    .set({ digest: 0 })
    .where("user_id", "=", userId)
    .where("digest", "=", 1)
    .where("digest_key", "is", null)
    .execute();
}

/** Replaces one key of a site's settings, leaving the others as they are, in one transaction. */
export async function setSiteSetting(db: Kysely<Database>, siteId: string, key: string, value: unknown): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("sites").select("settings").where("id", "=", siteId).executeTakeFirstOrThrow();
    const settings = { ...(JSON.parse(row.settings) as Record<string, unknown>), [key]: value };
    await trx.updateTable("sites").set({ settings: JSON.stringify(settings) }).where("id", "=", siteId).execute();
  });
}

// ---- Fan-out: who hears about a comment ----

/** A comment's author. */
export async function authorOf(db: Db, commentId: string): Promise<string | undefined> {
  const row = await db.selectFrom("comments").select("author_id").where("id", "=", commentId).executeTakeFirst();
  return row?.author_id;
}

export async function displayNameOf(db: Db, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom("users").select("display_name").where("id", "=", userId).executeTakeFirst();
  return row?.display_name;
}

/** Whether anyone besides `skip` follows the story. */
export async function hasFollowers(db: Db, storyId: string, skip: string[]): Promise<boolean> {
  let query = db.selectFrom("story_follows").select("user_id").where("story_id", "=", storyId);
  if (skip.length > 0) query = query.where("user_id", "not in", skip);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

/** The story's next followers (in user id order) after `after`, `skip` left out. */
export async function followersAfter(
  db: Db,
  page: { storyId: string; skip: string[]; after: string | null; limit: number },
): Promise<{ userId: string; mode: StoryFollowsTable["mode"] }[]> {
  let query = db.selectFrom("story_follows").select(["user_id", "mode"]).where("story_id", "=", page.storyId);
  if (page.skip.length > 0) query = query.where("user_id", "not in", page.skip);
  if (page.after !== null) query = query.where("user_id", ">", page.after);
  const rows = await query.orderBy("user_id").limit(page.limit).execute();
  return rows.map((r) => ({ userId: r.user_id, mode: r.mode }));
}
