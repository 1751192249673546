import { type Static, Type } from "typebox";

/** A site and the origins allowed to embed its threads (GET /api/v1/admin/sites). */
export const SiteSchema = Type.Object({ id: Type.String(), name: Type.String(), origins: Type.Array(Type.String()) });

/** An origin that recently tried to embed a thread and was refused (GET /api/v1/admin/refused-origins). */
export const RefusedOriginSchema = Type.Object({
  origin: Type.String(),
  pageUrl: Type.Union([Type.String(), Type.Null()], {
    description: "The story URL the page asked for, without its query.",
  }),
  attempts: Type.Integer({
    description: "Refusals counted (a node counts an origin at most once a minute).",
  }),
  firstSeenAt: Type.String({ format: "date-time" }),
  lastSeenAt: Type.String({ format: "date-time" }),
});

export type Site = Static<typeof SiteSchema>;
export type RefusedOrigin = Static<typeof RefusedOriginSchema>;

/** Someone who runs or moderates a site (GET /api/v1/admin/sites/:siteId/team). */
export const TeamMemberSchema = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  role: Type.String({ description: "admin, moderator or staff" }),
  scope: Type.Union([Type.Literal("everywhere"), Type.Literal("site")], {
    description: "everywhere: the account's own role (set with the CLI); site: a role on this site only, changed here.",
  }),
  sections: Type.Array(Type.String(), { description: "A site moderator's sections; empty: the whole site." }),
});

/** An account found to give a role to (GET /api/v1/admin/sites/:siteId/people). */
export const PersonSchema = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
});

export type TeamMember = Static<typeof TeamMemberSchema>;
export type Person = Static<typeof PersonSchema>;
