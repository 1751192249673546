import type { Config } from "../config.js";
import type { UserRow } from "../store/schema.js";

export interface PublicUser {
  id: string;
  displayName: string;
  avatarUrl: string;
  role: UserRow["role"];
  badges: string[];
  createdAt: string;
}

export function badgesOf(user: Pick<UserRow, "role">): string[] {
  return user.role === "commenter" ? [] : [user.role];
}

/** A user as anyone may see them: never the e-mail. */
export function presentUser(
  config: Config,
  user: Pick<UserRow, "id" | "display_name" | "role" | "created_at">,
): PublicUser {
  return {
    id: user.id,
    displayName: user.display_name,
    avatarUrl: `${config.publicUrl}/avatars/${user.id}.svg`,
    role: user.role,
    badges: badgesOf(user),
    createdAt: new Date(user.created_at).toISOString(),
  };
}

/** The caller's own account, as `/me` returns it. */
export function presentSelf(config: Config, user: UserRow) {
  return { ...presentUser(config, user), email: user.email, status: user.status };
}
