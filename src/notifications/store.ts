import type { Kysely, Transaction } from "kysely";
import type { Database, StoryFollowsTable } from "../store/schema.js";
import type { Endpoint } from "./webhooks.js";

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

/** The admins of a site (of every site, or of this one) with a verified address, for operational mail. */
export async function siteAdminIds(db: Db, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("users")
    .select("id")
    .where("email_verified_at", "is not", null)
    .where((eb) =>
      eb.or([
        eb("role", "=", "admin"),
        eb.exists(
          eb
            .selectFrom("user_site_roles")
            .select("user_id")
            .whereRef("user_site_roles.user_id", "=", "users.id")
            .where("user_site_roles.site_id", "=", siteId)
            .where("user_site_roles.role", "=", "admin"),
        ),
      ]),
    )
    .orderBy("id")
    .limit(50)
    .execute();
  return rows.map((r) => r.id);
}

/** A verified address of a user, read when the mail goes out. */
export async function verifiedEmailOf(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom("users").select(["email", "email_verified_at"]).where("id", "=", userId).executeTakeFirst();
  return row?.email && row.email_verified_at ? row.email : null;
}

/** A notice with what its mails name: the story's title and address, the site's name. */
export async function noticeForMail(db: Db, noticeId: string) {
  return db
    .selectFrom("notices")
    .leftJoin("stories", "stories.id", "notices.story_id")
    .select([
      "notices.id",
      "notices.reporter_email",
      "notices.law",
      "notices.status",
      "notices.created_at",
      "notices.decided_at",
      "stories.title as story_title",
      "stories.url as story_url",
    ])
    .where("notices.id", "=", noticeId)
    .executeTakeFirst();
}
