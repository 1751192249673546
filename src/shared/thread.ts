/**
 * The public API shapes the reader's widget works with (see API.md), and the state the
 * server-rendered thread hands it. Shared by src/embed (which renders) and web/embed (which
 * takes over); src/embed/contract.test.ts checks the server's presenters still fit them. The
 * shapes are the response schemas' own (`schemas.ts`), imported as types only.
 */
import type { Static } from "typebox";
import type { CommentRatingSchema, CommentSchema, NewCommentSchema, QuoteSchema, StorySchema, UserSchema } from "./schemas.js";

export type Role = User["role"];
export type User = Static<typeof UserSchema>;
export type Quote = Static<typeof QuoteSchema>;
export type Comment = Static<typeof CommentSchema>;
export type CommentRating = Static<typeof CommentRatingSchema>;
export type NewComment = Static<typeof NewCommentSchema>;
export type CommentStatus = Comment["status"];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Story = Static<typeof StorySchema>;

/**
 * The orders of a story's top-level comments; `best` is the bridging order (issue 12,
 * docs/BRIDGING.md); `featured` puts editors' picks first (newest pick first), then the newest.
 */
export const THREAD_SORTS = ["newest", "oldest", "top", "best", "featured", "answered"] as const;
export type Sort = (typeof THREAD_SORTS)[number];

export const REACTION_KINDS = ["like", "insightful", "funny"] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

export const REPORT_REASONS = ["offensive", "abusive", "spam", "misinformation", "off-topic", "other"] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** What the server-rendered thread hands the widget so it takes over without fetching again. */
export interface ThreadState {
  story: Story;
  page: Page<Comment>;
  sort: Sort;
  lang: string;
  limits: { editWindowSeconds: number; maxCommentLength: number };
  /** When the page was rendered (ISO), so relative times agree between server and widget. */
  renderedAt: string;
}

/** Indentation stops here; deeper replies open in their own view. */
export const MAX_INDENT_DEPTH = 4;

/** Icons for the reaction kinds: 24×24 stroked paths, drawn by the server and the widget alike. */
export const REACTION_ICONS: Record<ReactionKind, string> = {
  like: "M7 10v11M7 10l4-7c1.2 0 2.4 1 2 2.6L12.4 10H18a2 2 0 0 1 2 2.3l-1.2 7A2 2 0 0 1 16.8 21H7H4V10h3",
  insightful: "M9 18h6M10 21h4M12 3a6 6 0 0 0-3.6 10.8c.6.5.6 1.2.6 2.2h6c0-1 0-1.7.6-2.2A6 6 0 0 0 12 3z",
  funny: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8 14c1 1.4 2.3 2 4 2s3-.6 4-2M9 9.5h.01M15 9.5h.01",
};
