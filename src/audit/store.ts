import type { Insertable, Kysely, Transaction } from "kysely";
import type { Database, ModerationActionsTable } from "../store/schema.js";

/** Appends one entry to the audit log (`moderation_actions`); nothing updates or deletes one. */
export async function insertAuditEntry(
  db: Kysely<Database> | Transaction<Database>,
  row: Insertable<ModerationActionsTable>,
): Promise<void> {
  await db.insertInto("moderation_actions").values(row).execute();
}
