/** The desk's view of the moderation API. Reader-facing shapes come from src/shared. */
import type { Comment, Story, User } from "../../src/shared/thread.js";
export type { Comment, Story, User };

export type Queue = "pending" | "reported" | "rejected" | "all";
export const QUEUES: Queue[] = ["pending", "reported", "rejected", "all"];

export interface Span {
  category: string;
  start: number;
  end: number;
  weight: number;
}

export interface Reason {
  phase: string;
  code: string;
  message?: string;
  score?: number;
  spans?: Span[];
}

export interface AuthorSummary {
  user: User & { status: "active" | "suspended" | "banned"; suspendedUntil: string | null; premod: boolean };
  accountAgeDays: number;
  counts: { published: number; pending: number; rejected: number };
  actions: number;
}

export interface QueueItem {
  comment: Comment;
  story: { id: string; title: string; url: string; status: string } | null;
  parent: Comment | null;
  reasons: Reason[];
  scores: Record<string, number>;
  reports: { reason: string; note: string | null; createdAt: string; reporter: { id: string; displayName: string } }[];
  author: AuthorSummary | null;
  /** The bridging model's scores (issue 12); null until the comment has enough ratings to be scored. */
  bridging?: Bridging | null;
}

export interface Bridging {
  /** The lower bound sort=best orders by. */
  rank: number;
  intercept: number | null;
  factor: number | null;
  ratings: number;
  badge: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AuditAction {
  id: string;
  siteId: string | null;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  reason: { code: string | null; label: string | null; text: string | null } | null;
  before: unknown;
  after: unknown;
  createdAt: string;
  /** Who acted, by name (null: Parley itself). */
  actor: { id: string; displayName: string } | null;
  /** The entry as a sentence: "Ana approved Pat's comment on “Riverside library…”." */
  summary: string;
  /** The comment in its thread, or the story, where there is one. */
  href: string | null;
}

export interface History {
  author: AuthorSummary;
  comments: Page<{ comment: Comment; reasons: Reason[] }>;
  actions: AuditAction[];
  notes: { id: string; body: string; authorId: string; siteId: string | null; createdAt: string }[];
  /** With `storyId`: the author's published and held comments on that story. */
  onStory: { id: string; title: string; published: number; pending: number } | null;
}

export interface Me extends User {
  email: string | null;
  status: string;
}

/** What `/admin/session` says the desk may show: computed by the server from the role rules. */
export interface DeskAbilities {
  /** The sites whose queues the moderator works on. */
  sites: { id: string; name: string; administer: boolean }[];
  /** A moderator of every site: may also suspend, warn and pre-moderate accounts. */
  everySite: boolean;
  manageSites: boolean;
}

export type ListedStory = Story & { siteId: string; pending: number; reported: number };

export interface Stats {
  range: "day" | "week";
  perHour: { at: string; published: number; pending: number; rejected: number; removed: number }[];
  shares: { published: number; pending: number; rejected: number; removed: number };
  total: number;
  topHoldReasons: { code: string; phase: string; count: number }[];
  reasonsSampled: boolean;
  busiestStories: { id: string; title: string; url: string; comments: number; pending: number }[];
  queue: { pending: number; oldestAt: string | null; oldestAgeHours: number | null; ages: { label: string; count: number }[] };
}

export const DECISION_REASONS = [
  "offensive",
  "abusive",
  "spam",
  "hate-speech",
  "harassment",
  "misinformation",
  "off-topic",
  "illegal-content",
  "other",
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];
