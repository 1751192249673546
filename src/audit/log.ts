import type { Kysely, Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { Database, ModerationActionsTable } from "../store/schema.js";
import { insertAuditEntry } from "./store.js";

export interface AuditEntry {
  siteId?: string | null;
  actorId: string | null;
  action: string;
  targetType: ModerationActionsTable["target_type"];
  targetId: string;
  reasonCode?: string | null;
  reasonText?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Appends to the audit log. There is no update or delete: the log is append-only. */
export async function audit(
  deps: Deps,
  db: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
): Promise<void> {
  await insertAuditEntry(db, {
      id: deps.ids.next(),
      site_id: entry.siteId ?? null,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      reason_code: entry.reasonCode ?? null,
      reason_text: entry.reasonText ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      created_at: deps.clock.now(),
  });
}
