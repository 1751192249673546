/**
 * Every call the front ends make to Parley's API, named and typed from the server's schemas in
 * src/shared (type imports only: no schema code reaches a bundle). Each takes the Request of its
 * front end (web/shared/http.ts); a bundle keeps only the calls it uses.
 */
import type { MeAnswer, SignedIn } from "../../src/shared/accounts.js";
import type { AppealQueueItem } from "../../src/shared/appeals.js";
import type { DeskCorrection } from "../../src/shared/corrections.js";
import type { DecisionReason } from "../../src/shared/decisions.js";
import type { AuditAction, DeskSession, History, ListedStory, MyDay, QueueItem, Stats } from "../../src/shared/moderation.js";
import type { ContextNote, NoteRating } from "../../src/shared/notes.js";
import type { Delivery, Follow, NotificationPage, Webhook, WebhookSecret } from "../../src/shared/notifications.js";
import type { Queue } from "../../src/shared/queues.js";
import type { MaskedAccountSettings, SiteNotificationSettings } from "../../src/shared/settings.js";
import type { Person, RefusedOrigin, Site, TeamMember } from "../../src/shared/sites.js";
import type { Comment, CommentRating, NewComment, Page, ReactionKind, ReportReason, Sort, Story } from "../../src/shared/thread.js";
import { type Request, query } from "./http.js";

const V1 = "/api/v1";
const comment = (id: string) => `${V1}/comments/${id}`;
const story = (id: string) => `${V1}/stories/${id}`;

/* The reader's side (the loaders and the widget). */

/** Comment counts of several story URLs (count.js; a plain fetch keeps it under 1 KB). */
export const countsUrl = (base: string, urls: string[]) => `${base}${V1}/counts?` + urls.map((u) => `urls=${encodeURIComponent(u)}`).join("&");
/** The publisher's SSO token traded for a session, and a session ended (the loader's plain fetches). */
export const ssoUrl = (base: string) => `${base}${V1}/auth/sso`;
export const logoutUrl = (base: string) => `${base}${V1}/auth/logout`;

export type Reactions = Pick<Comment, "reactions" | "viewerReactions">;

export const me = (r: Request) => r<MeAnswer>("GET", `${V1}/me`);
export const signUp = (r: Request, body: Record<string, string>) => r<SignedIn>("POST", `${V1}/auth/signup`, body);
export const signIn = (r: Request, body: Record<string, string>) => r<SignedIn>("POST", `${V1}/auth/login`, body);
export const askReset = (r: Request, email: string) => r<void>("POST", `${V1}/auth/reset`, { email });
export const askVerification = (r: Request) => r<void>("POST", `${V1}/auth/verify/request`);

export const storyOf = (r: Request, id: string) => r<Story>("GET", story(id));
export const storyComments = (r: Request, id: string, sort: Sort, limit: number, cursor?: string | null) =>
  r<Page<Comment>>("GET", story(id) + "/comments" + query({ sort, limit, cursor }));
export const storyPicks = (r: Request, id: string) => r<{ items: Comment[] }>("GET", story(id) + "/featured");
export const postComment = (r: Request, storyId: string, input: NewComment, key?: string) =>
  r<{ comment: Comment }>("POST", story(storyId) + "/comments", input, key ? { headers: { "idempotency-key": key } } : {});
export const suggestCorrection = (r: Request, storyId: string, body: { body: string; quote?: { text: string }; evidenceUrl?: string }, key: string) =>
  r<void>("POST", story(storyId) + "/corrections", body, { headers: { "idempotency-key": key } });
export const storyNotes = (r: Request, storyId: string) => r<{ shown: ContextNote[]; pending: ContextNote[] }>("GET", story(storyId) + "/notes");
export const writeNote = (r: Request, storyId: string, body: { body: string; sources: string[]; quote?: { text: string } }, key: string) =>
  r<{ note: ContextNote }>("POST", story(storyId) + "/notes", body, { headers: { "idempotency-key": key } });
export const rateNote = (r: Request, id: string, value: NoteRating) => r<void>("PUT", `${V1}/notes/${id}/rating`, { value });
export const following = (r: Request, storyId: string) => r<Follow>("GET", story(storyId) + "/follow");
export const follow = (r: Request, storyId: string, on: boolean) =>
  r<Follow>(on ? "POST" : "DELETE", story(storyId) + "/follow", on ? { mode: "inapp" } : undefined);
/** The story's live events (server-sent), from the Parley origin. */
export const storyEvents = (base: string, storyId: string) => base + story(encodeURIComponent(storyId)) + "/events";

export const commentWithAncestors = (r: Request, id: string) => r<{ comment: Comment; ancestors: Comment[] }>("GET", comment(id));
export const replies = (r: Request, id: string, limit: number, cursor?: string | null) =>
  r<Page<Comment>>("GET", comment(id) + "/replies" + query({ limit, cursor }));
export const editComment = (r: Request, id: string, body: string) => r<{ comment: Comment }>("PATCH", comment(id), { body });
export const deleteComment = (r: Request, id: string) => r<void>("DELETE", comment(id));
export const react = (r: Request, id: string, kind: ReactionKind, on: boolean) =>
  on ? r<Reactions>("POST", comment(id) + "/reactions", { kind }) : r<Reactions>("DELETE", comment(id) + "/reactions/" + kind);
export const rateComment = (r: Request, id: string, value: CommentRating | null) =>
  value ? r<void>("PUT", comment(id) + "/rating", { value }) : r<void>("DELETE", comment(id) + "/rating");
export const feature = (r: Request, id: string, on: boolean) => r<{ comment: Comment }>(on ? "POST" : "DELETE", comment(id) + "/feature");
export const report = (r: Request, id: string, reason: ReportReason, note?: string) =>
  r<void>("POST", comment(id) + "/reports", { reason, ...(note ? { note } : {}) });

export const notifications = (r: Request, limit: number, cursor?: string | null) =>
  r<NotificationPage>("GET", `${V1}/me/notifications` + query({ limit, cursor }));
export const unreadCount = (r: Request) => r<{ unread: number }>("GET", `${V1}/me/notifications/unread-count`);
export const readAll = (r: Request) => r<{ unread: number }>("POST", `${V1}/me/notifications/read`, { all: true });
export const appeal = (r: Request, decisionId: string, explanation: string) =>
  r<void>("POST", `${V1}/me/decisions/${encodeURIComponent(decisionId)}/appeal`, { explanation });

/* The moderator's side (the desk). */

const MOD = "/api/v1/moderation";
const ADMIN = "/api/v1/admin";
type Params = Record<string, string | number | undefined | null>;
export interface Decision {
  action: "approve" | "reject";
  reason?: { code: DecisionReason; text?: string };
}

export const deskSession = (r: Request) => r<DeskSession>("GET", "/admin/session");
export const openDeskSession = (r: Request, body: Record<string, string>) => r<DeskSession>("POST", "/admin/session", body);
export const closeDeskSession = (r: Request) => r<void>("DELETE", "/admin/session");
export const oidcProviders = (r: Request) => r<{ items: { name: string; label: string }[] }>("GET", `${V1}/auth/oidc/providers`);
export const ssoLoginUrl = (r: Request) => r<{ siteName: string; loginUrl: string | null }>("GET", `${V1}/auth/sso/login-url`);
/** Where the desk's sign-in window starts with an OpenID Connect provider. */
export const oidcStart = (provider: string, origin: string) =>
  `${V1}/auth/oidc/${encodeURIComponent(provider)}/start` + query({ popup: origin });

export const queuePage = (r: Request, queue: Queue, params: Params) => r<Page<QueueItem>>("GET", `${MOD}/queues/${queue}` + query(params));
export const queueCounts = (r: Request, params: Params) => r<Record<string, number>>("GET", `${MOD}/counts` + query(params));
/** The desk's live queue events (server-sent), same origin. */
export const queueEvents = () => `${MOD}/events`;
/** One decision, or the same decision on several comments; sent to outlive the page. */
export const decide = (r: Request, ids: string[], d: Decision) =>
  ids.length === 1
    ? r<void>("POST", `${MOD}/comments/${ids[0]}/decision`, d, { keepalive: true })
    : r<void>("POST", `${MOD}/decisions`, { ids, ...d }, { keepalive: true });
export const answerQuestion = (r: Request, storyId: string, parentId: string, body: string) =>
  r<{ comment: Comment }>("POST", story(storyId) + "/comments", { body, parentId });
export const waitingQuestions = (r: Request, params: Params) =>
  r<Page<{ question: Comment; storyTitle: string; storyUrl: string }>>("GET", `${MOD}/questions` + query(params));
export const deskCorrections = (r: Request, params: Params) => r<Page<DeskCorrection>>("GET", `${MOD}/corrections` + query(params));
export const decideCorrection = (r: Request, id: string, action: string, note: string) =>
  r<void>("POST", `${MOD}/corrections/${id}/decision`, { action, note });
export const userHistory = (r: Request, userId: string, params: Params) => r<History>("GET", `${MOD}/users/${userId}/history` + query(params));
export const actOnUser = (r: Request, userId: string, body: Record<string, unknown>) =>
  r<{ rejectedComments: number }>("POST", `${MOD}/users/${userId}/actions`, body);
export const noteOnUser = (r: Request, userId: string, body: string, siteId?: string) =>
  r<void>("POST", `${MOD}/users/${userId}/notes`, { body, ...(siteId ? { siteId } : {}) });
export const auditLog = (r: Request, params: Params) => r<Page<AuditAction>>("GET", `${MOD}/log` + query(params));
export const deskStories = (r: Request, params: Params) => r<Page<ListedStory>>("GET", `${MOD}/stories` + query(params));
export const changeStory = (r: Request, id: string, patch: Record<string, unknown>) => r<ListedStory>("PATCH", story(id), patch);
export const myDay = (r: Request, since: string) => r<MyDay>("GET", `${MOD}/my-day` + query({ since }));
export const stats = (r: Request, range: string) => r<Stats>("GET", `${MOD}/stats` + query({ range }));

export const sites = (r: Request) => r<{ items: Site[] }>("GET", `${ADMIN}/sites`);
export const addSite = (r: Request, site: Site) => r<void>("POST", `${ADMIN}/sites`, site);
export const changeSite = (r: Request, id: string, patch: Partial<Omit<Site, "id">>) => r<void>("PATCH", `${ADMIN}/sites/${id}`, patch);
const ofSite = (siteId: string) => `${ADMIN}/sites/${encodeURIComponent(siteId)}`;
export const team = (r: Request, siteId: string) => r<{ items: TeamMember[] }>("GET", ofSite(siteId) + "/team");
export const findPeople = (r: Request, siteId: string, q: string) => r<{ items: Person[] }>("GET", ofSite(siteId) + "/people" + query({ q }));
export const giveRole = (r: Request, siteId: string, userId: string, role: "moderator" | "admin", sections: string[]) =>
  r<void>("PUT", ofSite(siteId) + `/roles/${userId}`, { role, sections });
export const takeRole = (r: Request, siteId: string, userId: string) => r<void>("DELETE", ofSite(siteId) + `/roles/${userId}`);
export const refusedOrigins = (r: Request) => r<{ items: RefusedOrigin[] }>("GET", `${ADMIN}/refused-origins`);
export const webhooks = (r: Request, siteId?: string) => r<{ items: Webhook[] }>("GET", `${ADMIN}/webhooks` + query({ siteId }));
export const addWebhook = (r: Request, body: { siteId?: string; url: string; events: string[] }) =>
  r<{ secret: WebhookSecret }>("POST", `${ADMIN}/webhooks`, body);
export const changeWebhook = (r: Request, id: string, patch: Record<string, unknown>) => r<void>("PATCH", `${ADMIN}/webhooks/${id}`, patch);
export const removeWebhook = (r: Request, id: string) => r<void>("DELETE", `${ADMIN}/webhooks/${id}`);
export const addWebhookSecret = (r: Request, id: string) => r<{ secret: WebhookSecret }>("POST", `${ADMIN}/webhooks/${id}/secrets`);
export const retireWebhookSecret = (r: Request, id: string, secretId: string) => r<void>("DELETE", `${ADMIN}/webhooks/${id}/secrets/${secretId}`);
export const deliveries = (r: Request, webhookId: string, limit: number) =>
  r<{ items: Delivery[] }>("GET", `${ADMIN}/webhooks/${encodeURIComponent(webhookId)}/deliveries` + query({ limit }));
export const replayDelivery = (r: Request, id: string) => r<{ jobId: string }>("POST", `${ADMIN}/webhooks/deliveries/${encodeURIComponent(id)}/replay`);

/**
 * A site's settings of one kind (moderation, accounts, notifications), read or changed; the
 * answer holds them under the kind's key.
 */
export const siteSettings = <K extends keyof SettingsOf>(r: Request, path: K, siteId?: string, patch?: unknown) =>
  r<SettingsOf[K]>(patch === undefined ? "GET" : "PATCH", `${ADMIN}/${path}` + query({ siteId }), patch);
interface SettingsOf {
  /** The desk edits the moderation settings as JSON, key by key. */
  settings: { moderation: Record<string, unknown> };
  "accounts-settings": { accounts: MaskedAccountSettings };
  "notification-settings": { notifications: SiteNotificationSettings };
}
export const appeals = (r: Request) => r<{ items: AppealQueueItem[] }>("GET", `${MOD}/appeals`);
export const decideAppeal = (r: Request, id: string, action: string, note: string) =>
  r<void>("POST", `${MOD}/appeals/${encodeURIComponent(id)}/decision`, { action, note });
