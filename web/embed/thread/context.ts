import { createContext } from "preact";
import type { Translate } from "../../shared/messages.js";
import type { Comment, CommentRating, NewComment, Quote, ReactionKind, ReportReason, Sort, ThreadState, User } from "../../shared/types.js";

export type Rating = CommentRating;
/** The sorts the widget offers: all the server renders, `best` (the bridging order) among them. */
export type ThreadSort = Sort;

/** The one panel open under a comment at a time: a reply, an edit, a report or a delete confirmation. */
export type Panel = { kind: "reply" | "edit" | "report" | "delete"; id: string } | null;

/** A passage the reader chose to quote, with the name it is attributed to. */
export interface QuoteDraft extends Quote {
  label: string;
}

/** A comment or reply as posted; `confirm` posts anyway after a NEEDS_CONFIRMATION nudge (it then waits for a moderator). */
export type PostInput = NewComment;

/** Everything a comment needs from the thread: who reads, the strings, and the actions. */
export interface ThreadCtx {
  t: Translate;
  lang: string;
  /** Parley's own address: the notice page lives there. */
  base: string;
  viewer: User | null;
  limits: ThreadState["limits"];
  open: boolean;
  /** A Q&A story: new top-level comments are questions for the newsroom. */
  qa: boolean;
  panel: Panel;
  quote: QuoteDraft | null;
  setPanel(panel: Panel): void;
  setQuote(quote: QuoteDraft | null): void;
  signIn(): void;
  post(input: PostInput, key: string): Promise<Comment>;
  edit(id: string, body: string): Promise<void>;
  remove(id: string): Promise<void>;
  react(comment: Comment, kind: ReactionKind): Promise<void>;
  /** The reader's ratings made in this page view: the API does not send them back with comments. */
  ratings: Record<string, Rating>;
  rate(comment: Comment, value: Rating): Promise<void>;
  report(id: string, reason: ReportReason, note: string): Promise<void>;
  /** The reader may feature comments of this story's site (from the server's abilities). */
  mayFeature: boolean;
  feature(comment: Comment, on: boolean): Promise<void>;
  /** Mails the signed-in reader the link that confirms their e-mail address again. */
  resendVerification(): Promise<void>;
  moreReplies(comment: Comment): Promise<void>;
  focusThread(id: string | null): void;
  announce(text: string): void;
}

export const Ctx = createContext<ThreadCtx>(null as unknown as ThreadCtx);
