import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Times are milliseconds since the epoch in every table, on both dialects. */
type Millis = number;
/** JSON documents are stored as text so both dialects read and write them alike. */
type JsonText = string;

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
}

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

export interface Database {
  sites: SitesTable;
  stories: StoriesTable;
  users: UsersTable;
  sessions: SessionsTable;
  comments: CommentsTable;
  comment_revisions: CommentRevisionsTable;
  reactions: ReactionsTable;
  idempotency_keys: IdempotencyKeysTable;
  reports: ReportsTable;
  moderation_actions: ModerationActionsTable;
  user_notes: UserNotesTable;
  site_bans: SiteBansTable;
  rate_limits: RateLimitsTable;
  external_ids: ExternalIdsTable;
  unclaimed_users: UnclaimedUsersTable;
  imports: ImportsTable;
}

export type SiteRow = Selectable<SitesTable>;
export type StoryRow = Selectable<StoriesTable>;
export type UserRow = Selectable<UsersTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type CommentUpdate = Updateable<CommentsTable>;
