/** Why a moderator rejected a comment: the codes the API takes and the desk offers. */
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
