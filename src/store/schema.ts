import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { AppealsTable, BacklogAlertsTable, CorrectionsTable, DecisionStatementsTable, NoteRatingsTable, NoticesTable, NotesTable } from "./schema-newsroom.js";

export * from "./schema-newsroom.js";

/** Times are milliseconds since the epoch in every table, on both dialects. */
export type Millis = number;
/** JSON documents are stored as text so both dialects read and write them alike. */
export type JsonText = string;

export interface SitesTable {
  id: string;
  name: string;
  origins: JsonText;
  settings: JsonText;
  created_at: Millis;
}

export type StoryStatus = "open" | "closed" | "archived";

export interface StoriesTable {
  id: string;
  site_id: string;
  url: string;
  title: string;
  author: string | null;
  published_at: Millis | null;
  body_text: string | null;
  status: StoryStatus;
  premod: number;
  comment_count: Generated<number>;
  created_at: Millis;
  updated_at: Millis;
  /** The last event id of the story's live stream. */
  event_seq: Generated<number>;
  /** `comments`, or `qa`: top-level comments are questions the newsroom answers (0018_qa). */
  mode: Generated<StoryMode>;
  /** The newsroom section (from the admin API, the embed's data-section or front matter). */
  section: ColumnType<string | null, string | null | undefined, string | null>;
  /** The story's own policy; null takes its section's, then its site's (src/policy). */
  close_after_days: ColumnType<number | null, number | null | undefined, number | null>;
  commenting: ColumnType<Commenting | null, Commenting | null | undefined, Commenting | null>;
}

export type StoryMode = "comments" | "qa";

/** Who may comment on a story. */
export type Commenting = "everyone" | "registered" | "subscribers";

export type Role = "commenter" | "staff" | "moderator" | "admin";
export type UserStatus = "active" | "suspended" | "banned";

export interface UsersTable {
  id: string;
  email: string | null;
  password_hash: string | null;
  display_name: string;
  role: Role;
  status: UserStatus;
  suspended_until: Millis | null;
  created_at: Millis;
  /** Every comment of this user is held for review. */
  premod: Generated<number>;
  /** A moderator's warning the user has not acknowledged yet. */
  warning: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Millis;
  expires_at: Millis;
  last_seen_at: Millis;
}

export type CommentStatus = "published" | "pending" | "rejected" | "removed";

export interface CommentsTable {
  id: string;
  site_id: string;
  story_id: string;
  parent_id: string | null;
  depth: number;
  author_id: string;
  body: string;
  body_html: string;
  quote: JsonText | null;
  status: CommentStatus;
  reply_count: Generated<number>;
  reaction_count: Generated<number>;
  reactions: ColumnType<JsonText, JsonText | undefined, JsonText>;
  scores: JsonText | null;
  reasons: JsonText | null;
  created_at: Millis;
  edited_at: Millis | null;
  /** Queue order: higher first (scores and reports), then oldest. */
  priority: Generated<number>;
  open_reports: Generated<number>;
  /** Hash of the folded text, for exact duplicates; MinHash signature, for near ones. */
  text_hash: string | null;
  minhash: string | null;
  decided_at: Millis | null;
  ip_hash: string | null;
  /** The bridging model's lower bound, or -1000 while unscored: what sort=best orders by. */
  bridge_rank: Generated<number>;
  bridge_intercept: number | null;
  bridge_factor: number | null;
  bridge_ratings: Generated<number>;
  /** 1 when readers who usually disagree agree this comment is helpful. */
  bridge_badge: Generated<number>;
  /** When an editor featured it (an editor's pick), 0 while not featured. */
  featured_at: Generated<number>;
  featured_by: string | null;
  /** When the newsroom first answered this question (a top-level comment of a Q&A story), 0 while unanswered. */
  answered_at: Generated<number>;
}

export interface CommentRevisionsTable {
  id: string;
  comment_id: string;
  body: string;
  body_html: string;
  created_at: Millis;
}

export interface ReactionsTable {
  comment_id: string;
  user_id: string;
  kind: string;
  created_at: Millis;
  /** 0 while the reacting account has no published comment: stored, not yet in the totals. */
  counted: Generated<number>;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  fingerprint: string;
  status_code: number;
  response: JsonText;
  created_at: Millis;
}

export type ReportReason = "offensive" | "abusive" | "spam" | "misinformation" | "off-topic" | "other";

export interface ReportsTable {
  id: string;
  comment_id: string;
  reporter_id: string;
  reason: ReportReason;
  note: string | null;
  created_at: Millis;
  resolved_at: Millis | null;
}

/** The audit log: appended to, never updated or deleted through the API. */
export interface ModerationActionsTable {
  id: string;
  site_id: string | null;
  actor_id: string | null;
  action: string;
  target_type: "comment" | "user" | "story" | "site" | "settings";
  target_id: string;
  reason_code: string | null;
  reason_text: string | null;
  before: JsonText | null;
  after: JsonText | null;
  created_at: Millis;
}

export interface UserNotesTable {
  id: string;
  user_id: string;
  author_id: string;
  body: string;
  created_at: Millis;
  /** The site the note was written for (0010_site_notes); null: for moderators of every site. */
  site_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An origin refused an embed lately (0011_refused_origins); the list keeps the most recent few. */
export interface RefusedOriginsTable {
  origin: string;
  /** The page that asked, without its query: where the publisher tried the snippet. */
  page_url: string | null;
  attempts: number;
  first_seen_at: Millis;
  last_seen_at: Millis;
}

export interface SiteBansTable {
  user_id: string;
  site_id: string;
  created_at: Millis;
}

export interface RateLimitsTable {
  key: string;
  window_start: Millis;
  count: number;
}

export interface ExternalIdsTable {
  /** Where the record came from: "disqus", "wordpress", … */
  source: string;
  kind: "story" | "comment" | "user";
  external_id: string;
  local_id: string;
  parent_external_id: string | null;
  import_id: string;
  created_at: Millis;
}

/** An author imported without an account; a reader who verifies `claim_email` may take it over. */
export interface UnclaimedUsersTable {
  user_id: string;
  claim_email: string | null;
  source: string;
  created_at: Millis;
}

export type ImportStatus = "queued" | "running" | "done" | "failed";

export interface ImportsTable {
  id: string;
  source: string;
  site_id: string;
  status: ImportStatus;
  progress: JsonText;
  summary: JsonText | null;
  error: string | null;
  created_by: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export type StoryEventType =
  | "comment.created"
  | "comment.published"
  | "comment.updated"
  | "comment.removed"
  | "reaction.changed"
  | "story.updated"
  | "story.corrected"
  | "note.updated";

/** What readers of a story may see change, in order; the live stream replays from here. */
export interface StoryEventsTable {
  story_id: string;
  seq: number;
  type: StoryEventType;
  comment_id: string | null;
  /** null: every reader; a user id: that user and the moderators. */
  audience: string | null;
  payload: JsonText;
  created_at: Millis;
}

/** Account columns added by 0004_accounts; optional on insert, so older inserts stay valid. */
export interface UserAccountColumns {
  /** The site whose SSO created this account; null for local and OIDC accounts. */
  site_id: ColumnType<string | null, string | null | undefined, string | null>;
  email_verified_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
  /** An avatar given by SSO or OIDC (https only); null: the generated one. */
  avatar_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of badge labels given by SSO. */
  badges: ColumnType<JsonText | null, JsonText | null | undefined, JsonText | null>;
  /** Folded, confusable-mapped display name, to refuse look-alikes of staff names. */
  name_skeleton: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of entitlements from the last sign-in's claim (e.g. ["subscriber"]). */
  entitlements: ColumnType<JsonText, JsonText | undefined, JsonText>;
}

export interface SessionAccountColumns {
  user_agent: ColumnType<string | null, string | null | undefined, string | null>;
  /** How the session was opened: password, sso, oidc. */
  method: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A moderator or admin role on one site only. */
export interface UserSiteRolesTable {
  user_id: string;
  site_id: string;
  role: "moderator" | "admin";
  created_at: Millis;
  /** A moderator's sections of the site (JSON array); null: the whole site. */
  sections: ColumnType<JsonText | null, JsonText | null | undefined, JsonText | null>;
}

/** A sign-in from elsewhere: provider "sso:<site id>" or "oidc:<provider>", and its subject. */
export interface UserIdentitiesTable {
  provider: string;
  subject: string;
  user_id: string;
  created_at: Millis;
}

/**
 * Single-use e-mail tokens (verification, password reset); only their hash is kept here.
 * The token itself waits in its mail's outbox job until SMTP accepts the mail, then is dropped.
 */
export interface AccountTokensTable {
  id: string;
  user_id: string;
  purpose: "verify" | "reset";
  token_hash: string;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

/** `jti`s of SSO tokens already exchanged, kept until they expire, so a replay is refused. */
export interface SsoTokenIdsTable {
  site_id: string;
  jti: string;
  expires_at: Millis;
}

/** An OpenID Connect sign-in between its start and its callback. */
export interface OidcLoginsTable {
  state_hash: string;
  provider: string;
  code_verifier: string;
  nonce: string;
  opener_origin: string | null;
  expires_at: Millis;
}

export interface RatingsTable {
  comment_id: string;
  user_id: string;
  site_id: string;
  /** 1 helpful, 0 not helpful. */
  value: number;
  created_at: Millis;
  updated_at: Millis;
}

/**
 * `account-mail`: a verification or reset link, or an "already registered" notice;
 * `followers`: a story's followers told of a new comment, in batches.
 */
export type OutboxJobKind = "event" | "webhook" | "email" | "digest" | "account-mail" | "followers" | "compliance-mail";
/** queued: waiting or claimed (a claim pushes `due_at` out by the lease); done; dead: out of attempts. */
export type OutboxJobStatus = "queued" | "done" | "dead";

/** Work to do after a change, written in the change's transaction and drained by workers. */
export interface OutboxJobsTable {
  id: string;
  kind: OutboxJobKind;
  /** The idempotency key: unique, and sent to receivers so a retried delivery is recognisable. */
  key: string;
  site_id: string | null;
  payload: JsonText;
  status: OutboxJobStatus;
  attempts: Generated<number>;
  due_at: Millis;
  locked_by: string | null;
  last_error: string | null;
  created_at: Millis;
  updated_at: Millis;
}

/** On SQLite one worker at a time drains the outbox: the holder of this lease. */
export interface OutboxLeasesTable {
  name: string;
  holder: string | null;
  expires_at: Millis;
}

export interface WebhookEndpointsTable {
  id: string;
  site_id: string;
  url: string;
  /** JSON array of subscribed event types. */
  events: JsonText;
  /** JSON array of { id, secret, createdAt }: every one signs, so secrets rotate without a gap. */
  secrets: JsonText;
  active: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  site_id: string;
  job_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: Millis;
}

export type NotificationKind = "reply" | "quote" | "story.comment" | "comment.published" | "comment.rejected" | "staff" | "featured" | "correction" | "appeal.decided";

/** A reader's in-app notification; `digest` marks one waiting for the daily e-mail. */
export interface NotificationsTable {
  id: string;
  user_id: string;
  key: string;
  kind: NotificationKind;
  site_id: string | null;
  story_id: string | null;
  comment_id: string | null;
  actor_id: string | null;
  data: JsonText;
  created_at: Millis;
  read_at: Millis | null;
  digest: Generated<number>;
  digest_key: string | null;
}

export type MailMode = "off" | "immediate" | "digest";

export interface NotificationPrefsTable {
  user_id: string;
  replies: MailMode;
  mentions: MailMode;
  /** E-mail when a moderator publishes or rejects the reader's comment. */
  moderation: number;
  lang: string;
  updated_at: Millis;
}

export interface StoryFollowsTable {
  story_id: string;
  user_id: string;
  mode: "inapp" | "digest";
  created_at: Millis;
}


export interface Database {
  sites: SitesTable;
  stories: StoriesTable;
  users: UsersTable & UserAccountColumns;
  sessions: SessionsTable & SessionAccountColumns;
  comments: CommentsTable;
  comment_revisions: CommentRevisionsTable;
  reactions: ReactionsTable;
  idempotency_keys: IdempotencyKeysTable;
  reports: ReportsTable;
  moderation_actions: ModerationActionsTable;
  user_notes: UserNotesTable;
  site_bans: SiteBansTable;
  rate_limits: RateLimitsTable;
  story_events: StoryEventsTable;
  ratings: RatingsTable;
  external_ids: ExternalIdsTable;
  unclaimed_users: UnclaimedUsersTable;
  imports: ImportsTable;
  user_site_roles: UserSiteRolesTable;
  user_identities: UserIdentitiesTable;
  account_tokens: AccountTokensTable;
  sso_token_ids: SsoTokenIdsTable;
  oidc_logins: OidcLoginsTable;
  outbox_jobs: OutboxJobsTable;
  outbox_leases: OutboxLeasesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notifications: NotificationsTable;
  notification_prefs: NotificationPrefsTable;
  story_follows: StoryFollowsTable;
  refused_origins: RefusedOriginsTable;
  corrections: CorrectionsTable;
  notes: NotesTable;
  note_ratings: NoteRatingsTable;
  decision_statements: DecisionStatementsTable;
  appeals: AppealsTable;
  notices: NoticesTable;
  backlog_alerts: BacklogAlertsTable;
}


export type SiteRow = Selectable<SitesTable>;
export type StoryRow = Selectable<StoriesTable>;
export type NewStory = Insertable<StoriesTable>;
export type UserRow = Selectable<UsersTable>;
export type AccountUserRow = Selectable<UsersTable & UserAccountColumns>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type CommentUpdate = Updateable<CommentsTable>;
export type OutboxJobRow = Selectable<OutboxJobsTable>;
export type NotificationRow = Selectable<NotificationsTable>;

