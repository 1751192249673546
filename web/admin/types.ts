/** The desk's view of the moderation API: the shapes come from the server's schemas in src/shared. */
import type { Comment, Story, User } from "../../src/shared/thread.js";
export type { Comment, Story, User };

export type Queue = "pending" | "reported" | "rejected" | "all";
export const QUEUES: Queue[] = ["pending", "reported", "rejected", "all"];

export type { AuditAction, AuthorSummary, Bridging, History, Note, QueueItem, Reason, Span } from "../../src/shared/moderation.js";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
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

export { DECISION_REASONS, type DecisionReason } from "../../src/shared/decisions.js";
