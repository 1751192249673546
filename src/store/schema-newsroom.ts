/**
 * The tables of the newsroom loop (corrections, reader context notes) and of the EU DSA duties
 * (statements of reasons, appeals). Re-exported by `schema.ts`, where `Database` names them.
 */
import type { ColumnType, Selectable } from "kysely";
import type { JsonText, Millis } from "./schema.js";

export type CorrectionStatus = "open" | "accepted" | "declined";

/** A reader's suggested correction to a story (0017_corrections). */
export interface CorrectionsTable {
  id: string;
  site_id: string;
  story_id: string;
  author_id: string;
  status: CorrectionStatus;
  body: string;
  quote_text: string | null;
  /** The quoted passage folded for grouping; "" without a quote. */
  passage: string;
  evidence_url: string | null;
  /** 1 when the moderation phases would have held it as a comment (shown so in the desk). */
  held: number;
  reasons: JsonText;
  /** The public correction, on accept. */
  note: string | null;
  /** Why it was declined: for the newsroom only. */
  decline_reason: string | null;
  decided_by: string | null;
  /** Decided together with another suggestion on the same passage, which carries the note. */
  merged_into: string | null;
  created_at: Millis;
  decided_at: Millis | null;
}
export type CorrectionRow = Selectable<CorrectionsTable>;

/** A reader's context note on a story (migration 0020). */
export interface NotesTable {
  id: string;
  site_id: string;
  story_id: string;
  author_id: string;
  body: string;
  /** JSON: the quoted passage of the article, or null for a note on the whole story. */
  quote: string | null;
  /** JSON: the note's source URLs. */
  sources: JsonText;
  /** The pipeline's verdict. */
  moderation: "published" | "pending" | "rejected";
  /** JSON: the pipeline's reasons, for the moderator. */
  reasons: ColumnType<JsonText, JsonText | undefined, JsonText>;
  /** The bridging model's verdict; only "helpful" notes are shown on the article. */
  status: ColumnType<"needs_ratings" | "helpful" | "not_helpful", "needs_ratings" | "helpful" | "not_helpful" | undefined, "needs_ratings" | "helpful" | "not_helpful">;
  rating_count: ColumnType<number, number | undefined, number>;
  created_at: Millis;
  status_changed_at: Millis;
}
export type NoteRow = Selectable<NotesTable>;

export interface NoteRatingsTable {
  note_id: string;
  user_id: string;
  site_id: string;
  /** 1 helpful, 0.5 somewhat helpful, 0 not helpful. */
  value: number;
  created_at: Millis;
  updated_at: Millis;
}

/** A statement of reasons for a rejection or removal, sent to the comment's author (migration 0021). */
export interface DecisionStatementsTable {
  id: string;
  site_id: string;
  story_id: string;
  comment_id: string;
  author_id: string;
  action: "reject" | "remove";
  ground: "illegal" | "terms";
  /** The law concerned, for the illegal-content ground. */
  law: string | null;
  /** A decision reason code (src/shared/decisions.ts). */
  reason: string;
  explanation: string;
  /** 1 when automated means decided or detected it. */
  automated: number;
  /** The moderator who decided; null for an automated decision. */
  decided_by: string | null;
  decided_at: Millis;
  appeal_until: Millis;
}
export type DecisionStatementRow = Selectable<DecisionStatementsTable>;

/** An author's appeal against a statement (migration 0021). */
export interface AppealsTable {
  id: string;
  statement_id: string;
  site_id: string;
  author_id: string;
  explanation: string;
  status: "open" | "upheld" | "reversed";
  note: string | null;
  decided_by: string | null;
  created_at: Millis;
  decided_at: Millis | null;
}
export type AppealRow = Selectable<AppealsTable>;

/** A notice of illegal content (EU DSA Art. 16) on a comment, from anyone (migration 0022). */
export interface NoticesTable {
  id: string;
  site_id: string;
  story_id: string;
  comment_id: string;
  /** The signed-in notifier; null for a notice sent without an account. */
  reporter_id: string | null;
  /** Where the receipt and the decision go (never logged); null: the notifier gave none. */
  reporter_email: string | null;
  law: string;
  explanation: string;
  ip_hash: string | null;
  /**
   * open until a moderator decides on the comment: actioned (rejected or removed), dismissed
   * (kept), or withdrawn (its author deleted it first).
   */
  status: "open" | "actioned" | "dismissed" | "withdrawn";
  decided_by: string | null;
  created_at: Millis;
  decided_at: Millis | null;
}
export type NoticeRow = Selectable<NoticesTable>;

/** The backlog alert's state per site (migration 0023). */
export interface BacklogAlertsTable {
  site_id: string;
  raised_at: Millis | null;
  cleared_at: Millis | null;
}
