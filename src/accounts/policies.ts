import { forbidden, unauthenticated } from "../errors.js";
import type { CommentStatus, Role } from "../store/schema.js";
import { type Actor, hasRole, hasRoleOn, moderatesSomewhere } from "./actor.js";

/**
 * Who may do what, as one table of rules per entity. A handler checks once with
 * `authorize(actor, action, subject)`; `/me` publishes the computed abilities so the
 * front ends never re-derive them. Anything not listed here is denied.
 */
export interface Subjects {
  /** The whole installation: sites, imports, the analyze API. */
  installation: { kind: "installation" };
  site: { kind: "site"; siteId: string };
  story: { kind: "story"; siteId: string };
  comment: { kind: "comment"; siteId: string; authorId: string; status: CommentStatus };
  /** A user as the target of moderation; `siteId` when the action concerns one site only. */
  user: { kind: "user"; id: string; role: Role; siteId: string | null };
  /** The actor's own account (or someone else's, which nobody may touch through /me). */
  account: { kind: "account"; id: string };
  /**
   * A sign-in from elsewhere linked to an account: a site's publisher SSO (`siteId`) or an
   * OpenID Connect provider (null). `holderHasRoles`: the account moderates or administers somewhere.
   */
  identity: { kind: "identity"; siteId: string | null; holderHasRoles: boolean };
}

type Rule<S> = (actor: Actor | null, subject: S) => boolean;
type Rules = { [K in keyof Subjects]: Record<string, Rule<Subjects[K]>> };

const signedIn = (actor: Actor | null): actor is Actor => actor !== null;

/**
 * Whoever controls a sign-in can act as the account it is linked to: a site's admin links their
 * site's SSO to accounts without roles; OIDC (installation-wide) and accounts with roles are for
 * admins of every site.
 */
const managesIdentity = (actor: Actor | null, i: Subjects["identity"]) =>
  hasRole(actor, "admin") || (i.siteId !== null && !i.holderHasRoles && hasRoleOn(actor, i.siteId, "admin"));

const rules = {
  installation: {
    manageSites: (actor) => hasRole(actor, "admin"),
    importComments: (actor) => hasRole(actor, "admin"),
    analyze: (actor) => hasRole(actor, "admin"),
  },
  site: {
    moderate: (actor, site) => hasRoleOn(actor, site.siteId, "moderator"),
    administer: (actor, site) => hasRoleOn(actor, site.siteId, "admin"),
    // Editor's picks: the newsroom (staff) as well as the site's moderators and admins.
    feature: (actor, site) => hasRoleOn(actor, site.siteId, "staff"),
    // Corrections: the newsroom decides them alongside the site's moderators and admins.
    correct: (actor, site) => hasRoleOn(actor, site.siteId, "staff"),
  },
  story: {
    create: (actor, story) => hasRoleOn(actor, story.siteId, "admin"),
    change: (actor, story) => hasRoleOn(actor, story.siteId, "moderator"),
    // Q&A stories: the newsroom's replies answer questions.
    answer: (actor, story) => hasRoleOn(actor, story.siteId, "staff"),
  },
  comment: {
    read: (actor, c) =>
      c.status === "published" || (signedIn(actor) && (actor.user.id === c.authorId || hasRoleOn(actor, c.siteId, "moderator"))),
    readSource: (actor, c) => signedIn(actor) && (actor.user.id === c.authorId || hasRoleOn(actor, c.siteId, "moderator")),
    edit: (actor, c) => signedIn(actor) && actor.user.id === c.authorId && c.status !== "removed",
    remove: (actor, c) => signedIn(actor) && (actor.user.id === c.authorId || hasRoleOn(actor, c.siteId, "moderator")),
    decide: (actor, c) => hasRoleOn(actor, c.siteId, "moderator"),
    feature: (actor, c) => hasRoleOn(actor, c.siteId, "staff"),
    react: (actor, c) => signedIn(actor) && c.status === "published",
    report: (actor, c) => signedIn(actor) && actor.user.id !== c.authorId,
  },
  user: {
    // Nobody acts on themselves; only admins act on moderators and admins; a moderator of
    // some sites acts only within those sites.
    act: (actor, u) =>
      signedIn(actor) &&
      actor.user.id !== u.id &&
      (u.siteId === null ? hasRole(actor, "moderator") : hasRoleOn(actor, u.siteId, "moderator")) &&
      (u.role === "commenter" || u.role === "staff" || hasRole(actor, "admin")),
    // A note is read by the moderators of its site; a note without a site, by moderators of every site.
    note: (actor, u) => (u.siteId === null ? hasRole(actor, "moderator") : hasRoleOn(actor, u.siteId, "moderator")),
    viewHistory: (actor) => moderatesSomewhere(actor),
  },
  identity: {
    link: (actor, i) => managesIdentity(actor, i),
    unlink: (actor, i) => managesIdentity(actor, i),
  },
  account: {
    read: (actor, a) => signedIn(actor) && actor.user.id === a.id,
    update: (actor, a) => signedIn(actor) && actor.user.id === a.id,
    export: (actor, a) => signedIn(actor) && actor.user.id === a.id,
    delete: (actor, a) => signedIn(actor) && actor.user.id === a.id,
  },
} satisfies Rules;

type Policies = typeof rules;
export type Subject = Subjects[keyof Subjects];
export type ActionOn<S extends Subject> = keyof Policies[S["kind"]] & string;

/** Whether the actor may do `action` to `subject`. */
export function can<S extends Subject>(actor: Actor | null, action: ActionOn<S>, subject: S): boolean {
  const table = rules[subject.kind] as Record<string, Rule<S> | undefined>;
  const rule = table[action];
  return rule !== undefined && rule(actor, subject);
}

/** Throws 401 for nobody and 403 for someone not allowed; returns the (signed-in) actor. */
export function authorize<S extends Subject>(actor: Actor | null, action: ActionOn<S>, subject: S): Actor {
  if (can(actor, action, subject) && actor !== null) return actor;
  if (actor === null) throw unauthenticated();
  throw forbidden();
}

export const installation: Subjects["installation"] = { kind: "installation" };
export const siteSubject = (siteId: string): Subjects["site"] => ({ kind: "site", siteId });
export const storySubject = (story: { site_id: string }): Subjects["story"] => ({ kind: "story", siteId: story.site_id });
export const commentSubject = (c: { site_id: string; author_id: string; status: CommentStatus }): Subjects["comment"] => ({
  kind: "comment",
  siteId: c.site_id,
  authorId: c.author_id,
  status: c.status,
});
export const userSubject = (u: { id: string; role: Role }, siteId: string | null = null): Subjects["user"] => ({
  kind: "user",
  id: u.id,
  role: u.role,
  siteId,
});
export const accountSubject = (id: string): Subjects["account"] => ({ kind: "account", id });
export const identitySubject = (siteId: string | null, holderHasRoles: boolean): Subjects["identity"] => ({
  kind: "identity",
  siteId,
  holderHasRoles,
});
