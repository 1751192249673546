import type { Kysely, Transaction } from "kysely";
import { prepared } from "./prepared.js";
import type { Database } from "./schema.js";

const findRecord = prepared<[string, string, number], { fingerprint: string; status_code: number; response: string }>((db, slot) =>
  db
    .selectFrom("idempotency_keys")
    .select(["fingerprint", "status_code", "response"])
    .where("user_id", "=", slot(0))
    .where("key", "=", slot(1))
    .where("created_at", ">=", slot<number>(2)),
);
const deleteExpired = prepared<[string, string, number], never>((db, slot) =>
  db
    .deleteFrom("idempotency_keys")
    .where("user_id", "=", slot(0))
    .where("key", "=", slot(1))
    .where("created_at", "<", slot<number>(2)),
);
const insertRecord = prepared<[string, string, string, number, string, number], never>((db, slot) =>
  db.insertInto("idempotency_keys").values({
    user_id: slot(0),
    key: slot(1),
    fingerprint: slot(2),
    status_code: slot(3),
    response: slot(4),
    created_at: slot(5),
  }),
);

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
  const [row] = (await findRecord(db, userId, key, since)).rows;
  return row && { fingerprint: row.fingerprint, statusCode: row.status_code, body: JSON.parse(row.response) };
}

export async function saveIdempotent(
  trx: Transaction<Database>,
  record: { userId: string; key: string; fingerprint: string; statusCode: number; body: unknown; now: number; expiredBefore: number },
): Promise<void> {
  // An expired record for the same key is replaced: keys are unique per user only within 24 h.
  // A live one is never deleted here, so a concurrent duplicate fails on the primary key.
  await deleteExpired(trx, record.userId, record.key, record.expiredBefore);
  const response = JSON.stringify(record.body);
  await insertRecord(trx, record.userId, record.key, record.fingerprint, record.statusCode, response, record.now);
}

export async function pruneIdempotent(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom("idempotency_keys").where("created_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
