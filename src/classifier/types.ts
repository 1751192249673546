/** The scorer contract shared by the local model and any external scorer adapter. */
export type ScoreCategory = "toxicity" | "insult" | "identityAttack" | "threat" | "profanity" | "spam";

/** Character offsets into the text given to score(); `end` is exclusive. */
export interface ScoreSpan {
  category: ScoreCategory;
  start: number;
  end: number;
  weight: number;
}

export interface ScoreContext {
  storyTitle?: string;
  parentText?: string;
  authorPublishedCount?: number;
  language?: string;
}

export interface ScoreResult {
  scores: Record<ScoreCategory, number>;
  spans: ScoreSpan[];
  scorer: { name: string; version: string };
  /**
   * Set by a fail-closed external scorer that could not answer: the scores are the local
   * model's, and the moderation pipeline should hold the comment for a moderator.
   */
  unavailable?: { code: "SCORER_UNAVAILABLE"; message: string };
}

export interface Scorer {
  readonly name: string;
  readonly version: string;
  score(text: string, context?: ScoreContext): Promise<ScoreResult> | ScoreResult;
}

export const SCORE_CATEGORIES: readonly ScoreCategory[] = [
  "toxicity",
  "insult",
  "identityAttack",
  "threat",
  "profanity",
  "spam",
];
