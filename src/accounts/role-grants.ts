import type { Kysely, Transaction } from "kysely";
import type { Deps } from "../deps.js";
import { audit } from "../audit/log.js";
import type { AccountUserRow, Database } from "../store/schema.js";
import * as store from "./store.js";

/**
 * Every role an account holds was granted by someone, and the audit log says by whom: the
 * command line (no actor), an admin, or the publisher's signed sign-in. An account whose role
 * no entry explains was made some other way (before 0.2, a sign-up request could name its
 * own role) and is listed by `parley users review-roles` for an operator to check.
 */
export async function recordRoleGrant(
  deps: Deps,
  db: Kysely<Database> | Transaction<Database>,
  user: Pick<AccountUserRow, "id" | "role">,
  grantedBy: string | null,
  how = grantedBy ? "granted by an admin" : "granted from the command line",
): Promise<void> {
  await audit(deps, db, {
    actorId: grantedBy,
    action: "user.role_grant",
    targetType: "user",
    targetId: user.id,
    reasonText: how,
    after: { role: user.role },
  });
}

export interface UngrantedRole {
  id: string;
  displayName: string;
  email: string | null;
  role: string;
  /** The site the role is held on; null for a role on every site. */
  siteId: string | null;
  createdAt: number;
}

export async function rolesToReview(deps: Deps): Promise<UngrantedRole[]> {
  const rows = await store.rolesWithoutGrant(deps.store.read);
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, email: r.email, role: r.role, siteId: r.site_id, createdAt: r.created_at }));
}
