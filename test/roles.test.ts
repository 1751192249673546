import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { DIALECTS, type TestApp, testApp } from "./helpers.js";
import { type MatrixRole, OTHER_SITE, PASSWORD, ROLES, type World, makeWorld } from "./roles-world.js";

/**
 * Every route against every caller. A route missing from MATRIX fails the first test, so
 * nobody adds an endpoint without saying who may call it. "Denied" means 401
 * UNAUTHENTICATED for the anonymous caller and 403 FORBIDDEN for everyone else; "allowed"
 * means neither (the request may still fail for other reasons, never with a 5xx).
 */
type Req = { url: string; payload?: unknown; headers?: Record<string, string> };
interface Rule {
  allow: readonly MatrixRole[];
  request: (w: World, role: MatrixRole) => Req;
  /** The route changes the caller or the fixture (deletes, logs out): each caller gets a fresh world. */
  fresh?: boolean;
  /** A server-sent event stream: read the status and headers, then hang up. */
  stream?: boolean;
}

const ALL = ROLES;
const SIGNED_IN = ROLES.filter((r) => r !== "anonymous");
/** Moderators of the fixture's site: of that site only, or of every site. */
const MODERATORS: MatrixRole[] = ["siteModerator", "moderator", "admin"];
/** Actions that change an account on every site. */
const EVERY_SITE_MODERATORS: MatrixRole[] = ["moderator", "admin"];
/** Anyone who moderates some site, whichever: the desk opens, lists cover their own sites. */
const ANY_MODERATOR: MatrixRole[] = ["otherSiteModerator", ...MODERATORS];
const ADMINS: MatrixRole[] = ["admin"];
const at = (url: string, extra: Partial<Req> = {}) => () => ({ url, ...extra });
const open = (url: string): Rule => ({ allow: ALL, request: at(url) });

export const MATRIX: Record<string, Rule> = {
  "GET /": open("/"),
  "GET /healthz": open("/healthz"),
  "GET /readyz": open("/readyz"),
  // Only with PARLEY_METRICS_TOKEN, which no caller here has (src/http/operations.test.ts sends it).
  "GET /metrics": { allow: [], request: at("/metrics") },
  "GET /openapi.json": open("/openapi.json"),
  "GET /docs": open("/docs"),
  "GET /docs/": open("/docs/"),
  "GET /docs/static/index.html": open("/docs/static/index.html"),
  "GET /docs/static/swagger-initializer.js": open("/docs/static/swagger-initializer.js"),
  "GET /docs/*": open("/docs/static/favicon-32x32.png"),
  "GET /docs/json": open("/docs/json"),
  "GET /docs/yaml": open("/docs/yaml"),
  "GET /avatars/:": open("/avatars/abc.svg"),
  "GET /auth/popup": open("/auth/popup"),
  "GET /auth/verify": open("/auth/verify"),
  "GET /auth/reset": open("/auth/reset"),
  "GET /assets/:": open("/assets/nothing.js"),
  "GET /articles/:": open("/articles/nothing-here"),
  "GET /admin": open("/admin"),
  "GET /admin*": open("/admin/queue"),
  "GET /embed.js": open("/embed.js"),
  "GET /count.js": open("/count.js"),
  "GET /favicon.ico": open("/favicon.ico"),
  "GET /favicon.svg": open("/favicon.svg"),
  "GET /embed/threads": { allow: ALL, request: (w) => ({ url: `/embed/threads?story=${w.storyId}` }) },
  "GET /api/v1/counts": { allow: ALL, request: (w) => ({ url: `/api/v1/counts?stories=${w.storyId}` }) },

  "POST /api/v1/auth/signup": {
    allow: ALL,
    request: () => ({
      url: "/api/v1/auth/signup",
      payload: { email: `m-${randomBytes(4).toString("hex")}@example.com`, password: PASSWORD, displayName: "Matrix new" },
    }),
  },
  "POST /api/v1/auth/login": {
    allow: ALL,
    request: (w) => ({ url: "/api/v1/auth/login", payload: { email: w.emails.commenter, password: PASSWORD } }),
  },
  "POST /api/v1/auth/sso": { allow: ALL, request: at("/api/v1/auth/sso", { payload: { token: "not.a.jwt" } }) },
  "GET /api/v1/auth/sso/login-url": open("/api/v1/auth/sso/login-url"),
  "POST /api/v1/auth/logout": { allow: SIGNED_IN, fresh: true, request: at("/api/v1/auth/logout") },
  "POST /api/v1/auth/logout-everywhere": { allow: SIGNED_IN, fresh: true, request: at("/api/v1/auth/logout-everywhere") },
  "POST /api/v1/auth/verify": { allow: ALL, request: at("/api/v1/auth/verify", { payload: { token: "x".repeat(43) } }) },
  "POST /api/v1/auth/verify/request": { allow: SIGNED_IN, request: at("/api/v1/auth/verify/request") },
  "POST /api/v1/auth/reset": { allow: ALL, request: at("/api/v1/auth/reset", { payload: { email: "nobody@example.com" } }) },
  "POST /api/v1/auth/reset/confirm": {
    allow: ALL,
    request: at("/api/v1/auth/reset/confirm", { payload: { token: "x".repeat(43), password: "a new long password" } }),
  },
  "GET /api/v1/auth/oidc/providers": open("/api/v1/auth/oidc/providers"),
  "GET /api/v1/auth/oidc/:/start": open("/api/v1/auth/oidc/none/start"),
  "GET /api/v1/auth/oidc/:/callback": open("/api/v1/auth/oidc/none/callback?code=x&state=y"),

  "GET /api/v1/me": { allow: SIGNED_IN, request: at("/api/v1/me") },
  "PATCH /api/v1/me": { allow: SIGNED_IN, fresh: true, request: at("/api/v1/me", { payload: { displayName: "Renamed reader" } }) },
  "DELETE /api/v1/me": { allow: SIGNED_IN, fresh: true, request: at("/api/v1/me") },
  "GET /api/v1/me/export": { allow: SIGNED_IN, request: at("/api/v1/me/export") },
  "DELETE /api/v1/me/sessions/:": { allow: SIGNED_IN, request: at("/api/v1/me/sessions/nosuchsession") },
  "POST /api/v1/me/warning/acknowledge": { allow: SIGNED_IN, request: at("/api/v1/me/warning/acknowledge") },

  "POST /api/v1/stories": {
    allow: ADMINS,
    request: () => ({ url: "/api/v1/stories", payload: { url: `https://news.example/m-${randomBytes(3).toString("hex")}`, title: "Made" } }),
  },
  "GET /api/v1/stories/resolve": open(`/api/v1/stories/resolve?url=${encodeURIComponent("https://news.example/matrix")}`),
  "GET /api/v1/stories/:": { allow: ALL, request: (w) => ({ url: `/api/v1/stories/${w.storyId}` }) },
  "PATCH /api/v1/stories/:": { allow: MODERATORS, request: (w) => ({ url: `/api/v1/stories/${w.storyId}`, payload: { title: "Same story" } }) },
  "GET /api/v1/stories/:/comments": { allow: ALL, request: (w) => ({ url: `/api/v1/stories/${w.storyId}/comments` }) },
  "POST /api/v1/stories/:/comments": {
    allow: SIGNED_IN,
    request: (w, role) => ({ url: `/api/v1/stories/${w.storyId}/comments`, payload: { body: `Matrix reply from ${role} ${randomBytes(3).toString("hex")}` } }),
  },
  "GET /api/v1/stories/:/events": { allow: ALL, stream: true, request: (w) => ({ url: `/api/v1/stories/${w.storyId}/events` }) },

  "GET /api/v1/comments/:": { allow: ALL, request: (w) => ({ url: `/api/v1/comments/${w.commentId}` }) },
  "PATCH /api/v1/comments/:": {
    allow: ["commenter"],
    request: (w) => ({ url: `/api/v1/comments/${w.commentId}`, payload: { body: `Edited for the matrix ${randomBytes(3).toString("hex")}` } }),
  },
  "DELETE /api/v1/comments/:": { allow: ["commenter", ...MODERATORS], fresh: true, request: (w) => ({ url: `/api/v1/comments/${w.commentId}` }) },
  "GET /api/v1/comments/:/replies": { allow: ALL, request: (w) => ({ url: `/api/v1/comments/${w.commentId}/replies` }) },
  // Authors neither report nor react to their own comments.
  "POST /api/v1/comments/:/reports": {
    allow: SIGNED_IN.filter((r) => r !== "commenter"),
    fresh: true,
    request: (w) => ({ url: `/api/v1/comments/${w.commentId}/reports`, payload: { reason: "spam" } }),
  },
  "POST /api/v1/comments/:/reactions": { allow: SIGNED_IN.filter((r) => r !== "commenter"), request: (w) => ({ url: `/api/v1/comments/${w.commentId}/reactions`, payload: { kind: "like" } }) },
  "DELETE /api/v1/comments/:/reactions/:": { allow: SIGNED_IN, request: (w) => ({ url: `/api/v1/comments/${w.commentId}/reactions/like` }) },
  "PUT /api/v1/comments/:/rating": {
    allow: SIGNED_IN.filter((r) => r !== "commenter"),
    request: (w) => ({ url: `/api/v1/comments/${w.commentId}/rating`, payload: { value: "helpful" } }),
  },
  // Editor's picks: the newsroom (staff) and the site's moderators.
  "POST /api/v1/comments/:/feature": { allow: ["staff", ...MODERATORS], request: (w) => ({ url: `/api/v1/comments/${w.commentId}/feature` }) },
  "DELETE /api/v1/comments/:/feature": { allow: ["staff", ...MODERATORS], request: (w) => ({ url: `/api/v1/comments/${w.commentId}/feature` }) },
  // Corrections: any reader suggests; the newsroom and moderators (of some site: lists cover their own) decide.
  "POST /api/v1/stories/:/corrections": {
    allow: SIGNED_IN,
    request: (w, role) => ({ url: `/api/v1/stories/${w.storyId}/corrections`, payload: { body: `The date is wrong, says ${role}.` } }),
  },
  "GET /api/v1/moderation/questions": { allow: ["staff", ...ANY_MODERATOR], request: at("/api/v1/moderation/questions") },
  "GET /api/v1/moderation/corrections": { allow: ["staff", ...ANY_MODERATOR], request: at("/api/v1/moderation/corrections") },
  "POST /api/v1/moderation/corrections/:/decision": {
    allow: ["staff", ...MODERATORS],
    fresh: true,
    request: (w) => ({ url: `/api/v1/moderation/corrections/${w.correctionId}/decision`, payload: { action: "decline", note: "" } }),
  },
  "GET /api/v1/stories/:/featured": { allow: ALL, request: (w) => ({ url: `/api/v1/stories/${w.storyId}/featured` }) },
  "DELETE /api/v1/comments/:/rating": { allow: SIGNED_IN, request: (w) => ({ url: `/api/v1/comments/${w.commentId}/rating` }) },
  // Context notes: writing needs published comments on the site (none in this world) unless the caller is the newsroom.
  "POST /api/v1/stories/:/notes": {
    allow: ["staff", ...MODERATORS],
    request: (w) => ({ url: `/api/v1/stories/${w.storyId}/notes`, payload: { body: "The minutes say 7 to 2.", sources: ["https://council.example/minutes"] } }),
  },
  "GET /api/v1/stories/:/notes": { allow: ALL, request: (w) => ({ url: `/api/v1/stories/${w.storyId}/notes` }) },
  "PUT /api/v1/notes/:/rating": { allow: SIGNED_IN, request: at("/api/v1/notes/no-such-note/rating", { payload: { value: "helpful" } }) },
  "DELETE /api/v1/notes/:/rating": { allow: SIGNED_IN, request: at("/api/v1/notes/no-such-note/rating") },
  "GET /api/v1/moderation/notes": { allow: ANY_MODERATOR, request: at("/api/v1/moderation/notes") },
  "POST /api/v1/moderation/notes/:/decision": { allow: ANY_MODERATOR, request: at("/api/v1/moderation/notes/no-such-note/decision", { payload: { action: "approve" } }) },
  "POST /api/v1/admin/bridging/refit": { allow: ADMINS, request: at("/api/v1/admin/bridging/refit") },
  "GET /api/v1/me/notifications": { allow: SIGNED_IN, request: at("/api/v1/me/notifications") },
  "GET /api/v1/me/notifications/unread-count": { allow: SIGNED_IN, request: at("/api/v1/me/notifications/unread-count") },
  "POST /api/v1/me/notifications/read": { allow: SIGNED_IN, request: at("/api/v1/me/notifications/read", { payload: { all: true } }) },
  "GET /api/v1/me/notification-settings": { allow: SIGNED_IN, request: at("/api/v1/me/notification-settings") },
  "PATCH /api/v1/me/notification-settings": { allow: SIGNED_IN, request: at("/api/v1/me/notification-settings", { payload: { replies: "immediate" } }) },
  "GET /api/v1/stories/:/follow": { allow: SIGNED_IN, request: (w) => ({ url: `/api/v1/stories/${w.storyId}/follow` }) },
  "POST /api/v1/stories/:/follow": { allow: SIGNED_IN, request: (w) => ({ url: `/api/v1/stories/${w.storyId}/follow`, payload: { mode: "inapp" } }) },
  "DELETE /api/v1/stories/:/follow": { allow: SIGNED_IN, request: (w) => ({ url: `/api/v1/stories/${w.storyId}/follow` }) },
  "GET /api/v1/notifications/unsubscribe": open("/api/v1/notifications/unsubscribe?token=nobody.replies.bad"),
  "POST /api/v1/notifications/unsubscribe": open("/api/v1/notifications/unsubscribe?token=nobody.replies.bad"),
  "POST /api/v1/moderation/users/:/messages": {
    allow: ANY_MODERATOR,
    request: (w) => ({ url: `/api/v1/moderation/users/${w.bystanderId}/messages`, payload: { message: "A note from the staff." } }),
  },
  "GET /api/v1/admin/webhooks": { allow: ADMINS, request: at("/api/v1/admin/webhooks?siteId=default") },
  "POST /api/v1/admin/webhooks": { allow: ADMINS, request: at("/api/v1/admin/webhooks", { payload: { url: "http://127.0.0.1:9/hooks", events: ["*"] } }) },
  "PATCH /api/v1/admin/webhooks/:": { allow: ADMINS, request: at("/api/v1/admin/webhooks/nosuchhook", { payload: { active: false } }) },
  "DELETE /api/v1/admin/webhooks/:": { allow: ADMINS, request: at("/api/v1/admin/webhooks/nosuchhook") },
  "POST /api/v1/admin/webhooks/:/secrets": { allow: ADMINS, request: at("/api/v1/admin/webhooks/nosuchhook/secrets") },
  "DELETE /api/v1/admin/webhooks/:/secrets/:": { allow: ADMINS, request: at("/api/v1/admin/webhooks/nosuchhook/secrets/nosuchsecret") },
  "GET /api/v1/admin/webhooks/:/deliveries": { allow: ADMINS, request: at("/api/v1/admin/webhooks/nosuchhook/deliveries") },
  "POST /api/v1/admin/webhooks/deliveries/:/replay": { allow: ADMINS, request: at("/api/v1/admin/webhooks/deliveries/nosuchdelivery/replay") },
  "GET /api/v1/admin/outbox/dead": { allow: ADMINS, request: at("/api/v1/admin/outbox/dead?siteId=default") },
  "POST /api/v1/admin/outbox/jobs/:/retry": { allow: ADMINS, request: at("/api/v1/admin/outbox/jobs/nosuchjob/retry") },
  "GET /api/v1/admin/notification-settings": { allow: ADMINS, request: at("/api/v1/admin/notification-settings?siteId=default") },
  "PATCH /api/v1/admin/notification-settings": {
    allow: ADMINS,
    request: at("/api/v1/admin/notification-settings?siteId=default", { payload: { notifications: {} } }),
  },

  "GET /api/v1/moderation/queues/:": { allow: MODERATORS, request: at("/api/v1/moderation/queues/pending?siteId=default") },
  "POST /api/v1/moderation/comments/:/decision": {
    allow: MODERATORS,
    request: (w) => ({ url: `/api/v1/moderation/comments/${w.commentId}/decision`, payload: { action: "approve" } }),
  },
  // The batch answers 200 to any moderator and refuses item by item (checked in its own test below).
  "POST /api/v1/moderation/decisions": {
    allow: ANY_MODERATOR,
    request: (w) => ({ url: "/api/v1/moderation/decisions", payload: { ids: [w.commentId], action: "approve" } }),
  },
  "POST /api/v1/moderation/users/:/actions": {
    allow: EVERY_SITE_MODERATORS,
    fresh: true,
    request: (w) => ({ url: `/api/v1/moderation/users/${w.bystanderId}/actions`, payload: { action: "premod" } }),
  },
  "POST /api/v1/moderation/users/:/notes": {
    allow: ANY_MODERATOR,
    request: (w) => ({ url: `/api/v1/moderation/users/${w.bystanderId}/notes`, payload: { body: "A note." } }),
  },
  "GET /api/v1/moderation/users/:/history": {
    allow: ANY_MODERATOR,
    request: (w) => ({ url: `/api/v1/moderation/users/${w.bystanderId}/history` }),
  },
  "GET /api/v1/moderation/log": { allow: MODERATORS, request: at("/api/v1/moderation/log?siteId=default") },
  // EU DSA statements of reasons and appeals (src/compliance/): each reader their own; the appeals queue covers the caller's sites.
  "GET /api/v1/me/decisions": { allow: SIGNED_IN, request: at("/api/v1/me/decisions") },
  "POST /api/v1/me/decisions/:/appeal": {
    allow: SIGNED_IN,
    request: at("/api/v1/me/decisions/nosuchdecision/appeal", { payload: { explanation: "Please look again." } }),
  },
  "GET /api/v1/moderation/appeals": { allow: ANY_MODERATOR, request: at("/api/v1/moderation/appeals") },
  // A missing appeal is 404 to every moderator; who may decide an existing one: src/compliance/compliance.test.ts.
  "POST /api/v1/moderation/appeals/:/decision": {
    allow: ANY_MODERATOR,
    request: at("/api/v1/moderation/appeals/nosuchappeal/decision", { payload: { action: "uphold", note: "Stands." } }),
  },
  "GET /api/v1/moderation/counts": { allow: MODERATORS, request: at("/api/v1/moderation/counts?siteId=default") },
  "GET /api/v1/moderation/stats": { allow: MODERATORS, request: at("/api/v1/moderation/stats?siteId=default") },
  "GET /api/v1/moderation/my-day": { allow: MODERATORS, request: at("/api/v1/moderation/my-day?siteId=default") },
  "GET /api/v1/moderation/stories": { allow: MODERATORS, request: at("/api/v1/moderation/stories?siteId=default") },
  // Without a site each moderator hears of their own sites' queues only.
  "GET /api/v1/moderation/events": { allow: ANY_MODERATOR, stream: true, request: at("/api/v1/moderation/events") },

  "GET /api/v1/admin/settings": { allow: ADMINS, request: at("/api/v1/admin/settings?siteId=default") },
  "PATCH /api/v1/admin/settings": { allow: ADMINS, request: at("/api/v1/admin/settings?siteId=default", { payload: { moderation: {} } }) },
  "GET /api/v1/admin/accounts-settings": { allow: ADMINS, request: at("/api/v1/admin/accounts-settings?siteId=default") },
  "PATCH /api/v1/admin/accounts-settings": {
    allow: ADMINS,
    request: at("/api/v1/admin/accounts-settings?siteId=default", { payload: { accounts: {} } }),
  },
  "GET /api/v1/admin/sites": { allow: ADMINS, request: at("/api/v1/admin/sites") },
  "GET /api/v1/admin/refused-origins": { allow: ADMINS, request: at("/api/v1/admin/refused-origins") },
  "POST /api/v1/admin/sites": {
    allow: ADMINS,
    request: () => ({ url: "/api/v1/admin/sites", payload: { id: `s-${randomBytes(3).toString("hex")}`, name: "New", origins: [] } }),
  },
  "PATCH /api/v1/admin/sites/:": { allow: ADMINS, request: at("/api/v1/admin/sites/default", { payload: { name: "Default site" } }) },
  "PUT /api/v1/admin/sites/:/roles/:": {
    allow: ADMINS,
    fresh: true,
    request: (w) => ({ url: `/api/v1/admin/sites/default/roles/${w.bystanderId}`, payload: { role: "moderator" } }),
  },
  "GET /api/v1/admin/sites/:/team": { allow: ADMINS, request: at("/api/v1/admin/sites/default/team") },
  "GET /api/v1/admin/sites/:/people": { allow: ADMINS, request: at("/api/v1/admin/sites/default/people?q=by") },
  "DELETE /api/v1/admin/sites/:/roles/:": { allow: ADMINS, request: (w) => ({ url: `/api/v1/admin/sites/default/roles/${w.bystanderId}` }) },
  "GET /api/v1/admin/users/:/identities": { allow: ADMINS, request: (w) => ({ url: `/api/v1/admin/users/${w.bystanderId}/identities` }) },
  "POST /api/v1/admin/users/:/identities": {
    allow: ADMINS,
    request: (w) => ({ url: `/api/v1/admin/users/${w.bystanderId}/identities`, payload: { siteId: "default", subject: `matrix-${randomBytes(4).toString("hex")}` } }),
  },
  "DELETE /api/v1/admin/users/:/identities": {
    allow: ADMINS,
    request: (w) => ({ url: `/api/v1/admin/users/${w.bystanderId}/identities?siteId=default&subject=not-linked` }),
  },
  "POST /api/v1/admin/imports": {
    allow: ADMINS,
    request: at("/api/v1/admin/imports?format=json", { payload: "", headers: { "content-type": "application/octet-stream" } }),
  },
  "GET /api/v1/admin/imports/:": { allow: ADMINS, request: at("/api/v1/admin/imports/nosuchimport") },
  "POST /api/v1/analyze": { allow: ADMINS, request: at("/api/v1/analyze", { payload: { comment: { text: "hello" }, requestedAttributes: {} } }) },
  "POST /v1alpha1/comments:": {
    allow: ADMINS,
    request: at("/v1alpha1/comments:analyze", { payload: { comment: { text: "hello" }, requestedAttributes: {} } }),
  },

  // The newsroom (staff) opens the desk for its Corrections queue.
  "GET /admin/session": { allow: ["staff", ...ANY_MODERATOR], request: at("/admin/session") },
  "POST /admin/session": { allow: ALL, request: (w) => ({ url: "/admin/session", payload: { email: w.emails.commenter, password: "wrong password!" } }) },
  "DELETE /admin/session": { allow: SIGNED_IN, fresh: true, request: at("/admin/session") },
};

const normalise = (path: string) => path.replace(/:[^/|]+(\|:[^/|]+)*/g, ":");

/** Every METHOD /path the app serves, from `printRoutes` (HEAD and CORS OPTIONS aside). */
export function servedRoutes(app: FastifyInstance): string[] {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    const path = (depth === 0 ? "" : stack[depth - 1]) + match[2];
    stack[depth] = path;
    for (const method of match[3].split(", ")) {
      if (method !== "HEAD" && method !== "OPTIONS") out.add(`${method} ${normalise(path)}`);
    }
  }
  return [...out].sort();
}

/** What a request could try to grant itself: a role, a status, an owner, a time, a site, a tier. */
const privilegedFields = (w: World) => ({
  role: "admin",
  badges: ["Editor"],
  status: "removed",
  authorId: w.ids.otherCommenter,
  userId: w.ids.otherCommenter,
  siteId: OTHER_SITE,
  createdAt: "2001-01-01T00:00:00.000Z",
  entitlements: ["subscriber"],
  emailVerified: true,
  premod: true,
});

interface PrivilegedState {
  users: Map<string, string>;
  comments: Map<string, { authorId: string; status: string; createdAt: number; line: string }>;
  stories: Map<string, string>;
  siteRoles: Set<string>;
}

async function privilegedState(t: TestApp): Promise<PrivilegedState> {
  const db = t.store.db;
  const users = await db.selectFrom("users").select(["id", "role", "status", "badges", "email_verified_at", "premod", "suspended_until", "site_id", "created_at"]).execute();
  const comments = await db.selectFrom("comments").select(["id", "author_id", "story_id", "status", "created_at"]).execute();
  const stories = await db.selectFrom("stories").select(["id", "site_id", "status", "created_at"]).execute();
  const roles = await db.selectFrom("user_site_roles").select(["user_id", "site_id", "role"]).execute();
  return {
    users: new Map(users.map((u) => [u.id, JSON.stringify(u)])),
    comments: new Map(comments.map((c) => [c.id, { authorId: c.author_id, status: c.status, createdAt: Number(c.created_at), line: JSON.stringify(c) }])),
    stories: new Map(stories.map((s) => [s.id, JSON.stringify(s)])),
    siteRoles: new Set(roles.map((r) => JSON.stringify(r))),
  };
}

/** What changed between two states that the reader's own request could not rightly change. */
function grantedByRequest(key: string, before: PrivilegedState, after: PrivilegedState, w: World): string[] {
  const wrong: string[] = [];
  const since2020 = Date.parse("2020-01-01T00:00:00Z");
  // Deleting one's own account hands its comments to the shared "deleted" placeholder account.
  const ownDeletion = key === "DELETE /api/v1/me";
  for (const [id, line] of after.users) {
    const was = before.users.get(id);
    const user = JSON.parse(line) as { role: string; status: string; badges: string | null; email_verified_at: number | null; created_at: number };
    if (ownDeletion && id === "deleted-user") continue;
    if (was === undefined && (user.role !== "commenter" || user.status !== "active" || user.badges !== null || user.email_verified_at !== null || user.created_at < since2020)) {
      wrong.push(`a new account was made with ${line}`);
    } else if (was !== undefined && was !== line) wrong.push(`account ${id} changed from ${was} to ${line}`);
  }
  for (const [id, comment] of after.comments) {
    const was = before.comments.get(id);
    if (was === undefined && (comment.authorId !== w.ids.commenter || comment.createdAt < since2020)) wrong.push(`a comment was posted as ${comment.line}`);
    // Only the reader's own comment may change, and only by their own delete.
    const ownDelete =
      (key === "DELETE /api/v1/comments/:" && id === w.commentId && comment.status === "removed") ||
      (ownDeletion && was?.authorId === w.ids.commenter && comment.authorId === "deleted-user");
    if (was !== undefined && was.line !== comment.line && !ownDelete) wrong.push(`comment ${id} changed from ${was.line} to ${comment.line}`);
  }
  for (const [id, line] of after.stories) {
    const was = before.stories.get(id);
    if (was !== undefined && was !== line) wrong.push(`story ${id} changed from ${was} to ${line}`);
    if (was === undefined && !line.includes('"site_id":"default"')) wrong.push(`a story was made as ${line}`);
  }
  for (const role of after.siteRoles) if (!before.siteRoles.has(role)) wrong.push(`a site role was granted: ${role}`);
  return wrong;
}

async function call(t: TestApp, base: string, key: string, rule: Rule, w: World, role: MatrixRole) {
  const method = key.split(" ")[0] as "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  const req = rule.request(w, role);
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (role !== "anonymous") headers.authorization = `Bearer ${w.tokens[role]}`;
  if (rule.stream) {
    const controller = new AbortController();
    const res = await fetch(base + req.url, { method, headers, signal: controller.signal });
    const body = res.headers.get("content-type")?.includes("json") ? ((await res.json()) as { error?: { code: string } }) : {};
    controller.abort();
    return { status: res.status, code: body.error?.code };
  }
  const res = await t.app.inject({ method, url: req.url, headers, ...(req.payload !== undefined ? { payload: req.payload as string } : {}) });
  let code: string | undefined;
  try {
    code = (res.json() as { error?: { code: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status: res.statusCode, code };
}

for (const { dialect, skip } of DIALECTS) {
  describe(`the role matrix on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let base: string;
    let shared: World;
    before(async () => {
      t = await testApp(dialect);
      await t.store.db
        .insertInto("sites")
        .values({ id: OTHER_SITE, name: "Other", origins: JSON.stringify(["https://other.example"]), settings: "{}", created_at: 0 })
        .execute();
      base = await t.app.listen({ host: "127.0.0.1", port: 0 });
      shared = await makeWorld(t.app);
    });
    after(() => t.close());

    it("has a rule for every route the app serves", () => {
      const missing = servedRoutes(t.app).filter((route) => !(route in MATRIX));
      assert.deepEqual(missing, [], `routes without a rule in test/roles.test.ts: ${missing.join(", ")}`);
    });

    it("allows and denies every route to every caller as its rule says", async () => {
      const served = new Set(servedRoutes(t.app));
      const wrong: string[] = [];
      for (const [key, rule] of Object.entries(MATRIX)) {
        if (!served.has(key)) continue;
        for (const role of ROLES) {
          const world = rule.fresh ? await makeWorld(t.app) : shared;
          const { status, code } = await call(t, base, key, rule, world, role);
          const denied = code === "UNAUTHENTICATED" || code === "FORBIDDEN";
          const allowed = rule.allow.includes(role);
          if (status >= 500) wrong.push(`${key} as ${role}: ${status}`);
          else if (allowed && denied) wrong.push(`${key} as ${role}: denied (${status} ${code}) but should be allowed`);
          else if (!allowed && !denied) wrong.push(`${key} as ${role}: allowed (${status} ${code ?? ""}) but should be denied`);
          else if (!allowed && status !== (role === "anonymous" ? 401 : 403)) wrong.push(`${key} as ${role}: denied with ${status}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    it("grants a reader nothing it names: privileged fields on every write route change nothing", async () => {
      const served = new Set(servedRoutes(t.app));
      const wrong: string[] = [];
      for (const [key, rule] of Object.entries(MATRIX)) {
        if (!served.has(key) || key.startsWith("GET ") || rule.stream) continue;
        const world = await makeWorld(t.app);
        const before = await privilegedState(t);
        const req = rule.request(world, "commenter");
        const extras = privilegedFields(world);
        const payload = typeof req.payload === "object" && req.payload !== null ? { ...req.payload, ...extras } : req.payload === undefined ? extras : req.payload;
        const { status } = await call(t, base, key, { ...rule, request: () => ({ ...req, payload }) }, world, "commenter");
        if (status >= 500) wrong.push(`${key}: ${status}`);
        wrong.push(...grantedByRequest(key, before, await privilegedState(t), world).map((what) => `${key}: ${what}`));
      }
      assert.deepEqual(wrong, []);
    });

    it("refuses a moderator of another site each item of a batch decision on this site", async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/moderation/decisions",
        headers: { authorization: `Bearer ${shared.tokens.otherSiteModerator}` },
        payload: { ids: [shared.commentId], action: "reject" },
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().results, [{ id: shared.commentId, error: "FORBIDDEN" }]);
      const row = await t.store.db.selectFrom("comments").select("status").where("id", "=", shared.commentId).executeTakeFirstOrThrow();
      assert.equal(row.status, "published", "nothing changed");
    });
  });
}
