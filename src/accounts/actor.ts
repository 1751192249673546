import type { Role, UserRow } from "../store/schema.js";

/** A moderator or admin role held on one site only. */
export interface SiteRole {
  siteId: string;
  role: "moderator" | "admin";
  /** A moderator of some sections of the site only; absent: the whole site. */
  sections?: readonly string[];
}

/** Who is making a request: a signed-in user and their session, or nobody. */
export interface Actor {
  user: UserRow;
  sessionId: string;
  /** Roles on single sites, on top of `user.role` (which holds on every site). */
  siteRoles?: readonly SiteRole[];
}

/** The sites a moderator's list covers: every site, or these. */
export type SiteScope = "all" | readonly string[];

/** A scope's sites for `where site_id in (…)`: null for every site; never an empty list (SQL refuses `in ()`). */
export function scopeSiteIds(scope: SiteScope): string[] | null {
  if (scope === "all") return null;
  return scope.length > 0 ? [...scope] : [""];
}

const RANK: Record<Role, number> = { commenter: 0, staff: 1, moderator: 2, admin: 3 };

/** The actor's role on every site (the global role). */
export function hasRole(actor: Actor | null, role: Role): boolean {
  return actor !== null && RANK[actor.user.role] >= RANK[role];
}

export const isModerator = (actor: Actor | null) => hasRole(actor, "moderator");

/** The actor's role on one site: the higher of the global role and the role on that site. */
export function hasRoleOn(actor: Actor | null, siteId: string, role: Role): boolean {
  if (actor === null) return false;
  if (RANK[actor.user.role] >= RANK[role]) return true;
  return (actor.siteRoles ?? []).some((r) => r.siteId === siteId && RANK[r.role] >= RANK[role]);
}

/** The sites where the actor holds `role`: "all", or a list (empty for most readers). */
export function sitesWhere(actor: Actor | null, role: Role): "all" | string[] {
  if (actor === null) return [];
  if (RANK[actor.user.role] >= RANK[role]) return "all";
  return (actor.siteRoles ?? []).filter((r) => RANK[r.role] >= RANK[role]).map((r) => r.siteId);
}

/** A moderator of every site, or of at least one: who may open the moderator's desk. */
export function moderatesSomewhere(actor: Actor | null): boolean {
  const sites = sitesWhere(actor, "moderator");
  return sites === "all" || sites.length > 0;
}

/**
 * The sites where the actor moderates some sections only: site id → those sections. Empty when
 * the actor moderates whole sites (a global moderator or admin, a site admin, a site moderator without sections).
 */
export function sectionLimits(actor: Actor | null): Map<string, readonly string[]> {
  const limits = new Map<string, readonly string[]>();
  if (actor === null || hasRole(actor, "moderator")) return limits;
  for (const r of actor.siteRoles ?? []) {
    if (r.role === "moderator" && r.sections?.length) limits.set(r.siteId, r.sections);
  }
  return limits;
}
