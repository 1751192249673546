import type { AppealRow, CommentRow, CommentStatus, CorrectionRow, DecisionStatementRow, NoticeRow, ReportReason, StoryRow, UserRow } from "../store/schema.js";

/** The mails an account receives: the link that confirms its address, a reset link, the notice that an address is taken. */
export type AccountMailKind = "verify" | "reset" | "already-registered";

/** What a user action did to the user (the moderation desk's ban, suspend, warn, pre-moderate or clear). */
export type SanctionAction = "ban" | "suspend" | "warn" | "premod" | "clear";

/**
 * What happened, as the write that did it saw it: each event is emitted once, in the write's own
 * transaction (`emit(trx, event)`), and the consumers registered in `src/runtime.ts` record
 * what follows from it (story events for live readers, outbox jobs for webhooks and
 * notifications). Rows are the stored rows after the change unless a field says otherwise.
 */
export type DomainEvent =
  /** A comment or reply was stored (published or held). */
  | { type: "comment.created"; comment: CommentRow; author: UserRow }
  /** The author edited a comment; `withdrawn`: the edit sent a published comment back for review. */
  | { type: "comment.edited"; comment: CommentRow; author: UserRow; withdrawn: boolean }
  /**
   * The author or a moderator deleted a comment; `comment` is the row as it was before.
   * `removedBy`: the moderator who removed someone else's comment, null when the author deleted it.
   */
  | { type: "comment.deleted"; comment: CommentRow; removedBy: string | null }
  /** An editor featured or unfeatured a comment (emitted only when the state changed). */
  | { type: "comment.featured"; comment: CommentRow; author: UserRow | undefined; featured: boolean }
  /**
   * A moderator's decision moved a comment to `comment.status` from `from` (possibly the same
   * status: a decision on a decided comment still closes its reports and moves it in the queues).
   * `author` is set when the comment was published by it.
   */
  | {
      type: "comment.moved";
      comment: CommentRow & { status: "published" | "rejected" };
      from: CommentStatus;
      author: UserRow | undefined;
      reason: { code?: string | null; text?: string | null } | undefined;
      /** The moderator who decided (also for each comment a ban rejects); null: automated means. */
      decidedBy: string | null;
    }
  /** A reader reported a comment; `held`: enough reports withdrew it for review. `comment` is the row before. */
  | { type: "comment.reported"; comment: CommentRow; report: { reason: ReportReason; held: boolean } }
  /** A comment's counted reactions changed. */
  | { type: "reaction.changed"; storyId: string; commentId: string; reactions: Record<string, number> }
  /** The newsroom's reply answered a question of a Q&A story (its first answer): `question` is the row after. */
  | { type: "question.answered"; question: CommentRow; author: UserRow | undefined }
  /** The newsroom accepted a reader's correction (`readers`: everyone who suggested it on the same passage). */
  | { type: "story.corrected"; correction: CorrectionRow; readers: string[] }
  /** A story was stored for the first time. */
  | { type: "story.created"; story: StoryRow }
  /** A story's status, pre-moderation or title changed. */
  | { type: "story.updated"; story: StoryRow }
  /** A moderator acted on a user; `user` is the row before the action, `siteId` the site it covers (null: every site). */
  | { type: "user.sanctioned"; user: UserRow; action: SanctionAction; siteId: string | null; message: string | null }
  /** An account asked for a mail: with a link, emitted in the transaction that issued its token. */
  /** A refit changed whether a reader context note is shown on its article. */
  | { type: "note.status_changed"; storyId: string; noteId: string; status: "needs_ratings" | "helpful" | "not_helpful" }
  | { type: "account.mail"; mail: AccountMailKind; userId: string; link?: { tokenId: string; token: string } }
  /** A moderator upheld or reversed an author's appeal against a statement of reasons. */
  | { type: "appeal.decided"; appeal: AppealRow; statement: DecisionStatementRow }
  /** Someone notified a comment of illegal content (EU DSA Art. 16); `comment` is the row before. */
  | { type: "notice.received"; notice: NoticeRow; comment: CommentRow }
  /** A decision on a notified comment (or its deletion) closed a notice: `notice` is the row after. */
  | { type: "notice.decided"; notice: NoticeRow }
  /**
   * A site's oldest pending comment has waited past `moderation.backlogAlertMinutes` (raised
   * once per episode; the alert re-arms when the backlog clears).
   */
  | { type: "moderation.backlog"; siteId: string; oldestPendingAt: number; pending: number; minutes: number };

export type EventType = DomainEvent["type"];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/** Every event type, in the order docs/ARCHITECTURE.md lists them (the compiler checks none is missing). */
export const DOMAIN_EVENT_TYPES = [
  "comment.created",
  "comment.edited",
  "comment.deleted",
  "comment.featured",
  "comment.moved",
  "comment.reported",
  "reaction.changed",
  "question.answered",
  "story.corrected",
  "story.created",
  "story.updated",
  "user.sanctioned",
  "note.status_changed",
  "account.mail",
  "appeal.decided",
  "notice.received",
  "notice.decided",
  "moderation.backlog",
] as const satisfies readonly EventType[];
type Missing = Exclude<EventType, (typeof DOMAIN_EVENT_TYPES)[number]>;
const everyTypeListed: [Missing] extends [never] ? true : Missing = true;
void everyTypeListed;
