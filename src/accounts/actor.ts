import type { Role, UserRow } from "../store/schema.js";

/** Who is making a request: a signed-in user and their session, or nobody. */
export interface Actor {
  user: UserRow;
  sessionId: string;
}

const RANK: Record<Role, number> = { commenter: 0, staff: 1, moderator: 2, admin: 3 };

export function hasRole(actor: Actor | null, role: Role): boolean {
  return actor !== null && RANK[actor.user.role] >= RANK[role];
}

export const isModerator = (actor: Actor | null) => hasRole(actor, "moderator");
