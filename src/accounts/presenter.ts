import { entitlementsOf } from "./entitlements.js";
import type { Config } from "../config.js";
import type { AccountUserRow, UserRow } from "../store/schema.js";

export interface PublicUser {
  id: string;
  displayName: string;
  avatarUrl: string;
  role: UserRow["role"];
  badges: string[];
  createdAt: string;
}

type Presentable = Pick<UserRow, "id" | "display_name" | "role" | "created_at"> &
  Partial<Pick<AccountUserRow, "avatar_url" | "badges">>;

/** Badges come from the role (staff, moderator, admin) and from the publisher's SSO. */
export function badgesOf(user: Pick<Presentable, "role" | "badges">): string[] {
  const fromRole = user.role === "commenter" ? [] : [user.role];
  let fromSso: string[] = [];
  if (user.badges) {
    try {
      const parsed: unknown = JSON.parse(user.badges);
      if (Array.isArray(parsed)) fromSso = parsed.filter((b): b is string => typeof b === "string");
    } catch {
      fromSso = [];
    }
  }
  return [...new Set([...fromRole, ...fromSso])];
}

/** A user as anyone may see them: never the e-mail. */
export function presentUser(config: Config, user: Presentable): PublicUser {
  return {
    id: user.id,
    displayName: user.display_name,
    avatarUrl: user.avatar_url ?? `${config.publicUrl}/avatars/${user.id}.svg`,
    role: user.role,
    badges: badgesOf(user),
    createdAt: new Date(user.created_at).toISOString(),
  };
}

/** The caller's own account, as `/me` returns it. */
export function presentSelf(config: Config, user: UserRow & Partial<AccountUserRow>) {
  return {
    ...presentUser(config, user),
    email: user.email,
    status: user.status,
    entitlements: entitlementsOf(user),
    emailVerified: user.email_verified_at !== null && user.email_verified_at !== undefined,
  };
}

/** One of the caller's sessions, as /me and the data export show it. */
export function presentSession(s: {
  id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string | null;
  method: string | null;
}) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: s.id,
    createdAt: iso(s.created_at),
    lastSeenAt: iso(s.last_seen_at),
    expiresAt: iso(s.expires_at),
    userAgent: s.user_agent,
    method: s.method,
  };
}
