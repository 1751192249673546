import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.js";

export interface StoredResponse {
  fingerprint: string;
  statusCode: number;
  body: unknown;
}

export async function findIdempotent(
  db: Kysely<Database> | Transaction<Database>,
  userId: string,
  key: string,
  since: number,
): Promise<StoredResponse | undefined> {
  const row = await db
    .selectFrom("idempotency_keys")
    .select(["fingerprint", "status_code", "response"])
    .where("user_id", "=", userId)
    .where("key", "=", key)
    .where("created_at", ">=", since)
    .executeTakeFirst();
  return row && { fingerprint: row.fingerprint, statusCode: row.status_code, body: JSON.parse(row.response) };
}

export async function saveIdempotent(
  trx: Transaction<Database>,
  record: { userId: string; key: string; fingerprint: string; statusCode: number; body: unknown; now: number; expiredBefore: number },
): Promise<void> {
  // An expired record for the same key is replaced: keys are unique per user only within 24 h.
  // A live one is never deleted here, so a concurrent duplicate fails on the primary key.
  await trx
    .deleteFrom("idempotency_keys")
    .where("user_id", "=", record.userId)
    .where("key", "=", record.key)
    .where("created_at", "<", record.expiredBefore)
    .execute();
  await trx
    .insertInto("idempotency_keys")
    .values({
      user_id: record.userId,
      key: record.key,
      fingerprint: record.fingerprint,
      status_code: record.statusCode,
      response: JSON.stringify(record.body),
      created_at: record.now,
    })
    .execute();
}

export async function pruneIdempotent(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom("idempotency_keys").where("created_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
