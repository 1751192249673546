import type { Kysely } from "kysely";
import type { Database, UserRow } from "../store/schema.js";

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findUsersByIds(db: Kysely<Database>, ids: string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("users").selectAll().where("id", "in", ids).execute();
}

export async function insertUser(db: Kysely<Database>, user: UserRow): Promise<void> {
  await db.insertInto("users").values(user).execute();
}

export async function insertSession(
  db: Kysely<Database>,
  session: { id: string; user_id: string; token_hash: string; created_at: number; expires_at: number },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({ ...session, last_seen_at: session.created_at })
    .execute();
}

/** The live session behind a token hash, with its user. */
export async function findSession(db: Kysely<Database>, tokenHash: string, now: number) {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select([
      "sessions.id as session_id",
      "sessions.expires_at as session_expires_at",
      "sessions.last_seen_at as session_seen_at",
    ])
    .where("sessions.token_hash", "=", tokenHash)
    .where("sessions.expires_at", ">", now)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_id, session_expires_at, session_seen_at, ...user } = row;
  return { sessionId: session_id, expiresAt: session_expires_at, lastSeenAt: session_seen_at, user: user as UserRow };
}

export async function touchSession(
  db: Kysely<Database>,
  sessionId: string,
  now: number,
  expiresAt: number,
): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where("id", "=", sessionId)
    .execute();
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}
