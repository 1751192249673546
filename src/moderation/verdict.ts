import type { CommentStatus } from "../store/schema.js";

/** Why a phase moved a comment: which phase, which rule, and the score when one decided. */
export interface Reason {
  phase: string;
  code: string;
  message?: string;
  score?: number;
}

/** What the pipeline decided for a comment about to be stored. */
export interface Verdict {
  status: Extract<CommentStatus, "published" | "pending">;
  reasons: Reason[];
  scores: Record<string, number>;
}

/** What a phase returns: nothing to say, or a hold with its reasons, or scores to record. */
export interface PartialVerdict {
  hold?: boolean;
  reasons?: Reason[];
  scores?: Record<string, number>;
}
