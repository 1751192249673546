/** The desk's view of the moderation API: the shapes come from the server's schemas in src/shared. */
import type { Comment, Page, Story, User } from "../../src/shared/thread.js";
export type { Comment, Page, Story, User };

export { QUEUES, type Queue } from "../../src/shared/queues.js";

import type { DeskSession } from "../../src/shared/moderation.js";
export type {
  AuditAction,
  AuthorSummary,
  Bridging,
  DeskAbilities,
  History,
  ListedStory,
  MyDay,
  Note,
  QueueCounts,
  QueueItem,
  Reason,
  Span,
  Stats,
} from "../../src/shared/moderation.js";

/** The signed-in moderator, as `/admin/session` answers. */
export type Me = DeskSession["user"];

export { DECISION_REASONS, type DecisionReason } from "../../src/shared/decisions.js";
