import type { ScoreSpan } from "../classifier/types.js";
import type { CommentStatus } from "../store/schema.js";

/** Why a phase moved a comment: which phase, which rule, and the score when one decided. */
export interface Reason {
  phase: string;
  code: string;
  message?: string;
  score?: number;
  spans?: ScoreSpan[];
  /** What the desk links to, e.g. the original of a copied comment (`originalCommentId`). */
  details?: Record<string, string>;
}

/** What the pipeline decided for a comment about to be stored. */
export interface Verdict {
  status: Extract<CommentStatus, "published" | "pending">;
  reasons: Reason[];
  scores: Record<string, number>;
  /** The normalised text that is stored. */
  body: string;
  /** Queue order for held comments: higher is reviewed first. */
  priority: number;
  textHash: string;
  minhash: string;
}

/** What a phase returns: nothing to say, a hold with its reasons, scores, or the normalised text. */
export interface PartialVerdict {
  hold?: boolean;
  reasons?: Reason[];
  scores?: Record<string, number>;
  body?: string;
  /** The words phase found swearing in plain sight: the scores phase decides (words.ts). */
  swearing?: boolean;
}
