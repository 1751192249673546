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

/** The ground of a statement of reasons (EU DSA Art. 17): illegal content, or the site's terms. */
export type DecisionGround = "illegal" | "terms";

/** The ground a reason falls under: only illegal content is decided on the law. */
export function groundOf(reason: string): DecisionGround {
  return reason === "illegal-content" ? "illegal" : "terms";
}

/** A plain-language sentence for each reason, for the comment's author (statements of reasons). */
export const DECISION_EXPLANATIONS: Record<DecisionReason, string> = {
  offensive: "Your comment used language that is offensive to other readers, which our community rules do not allow.",
  abusive: "Your comment was abusive towards another person, which our community rules do not allow.",
  spam: "Your comment looked like advertising or spam, which our community rules do not allow.",
  "hate-speech": "Your comment attacked people for who they are (such as their origin, religion or gender), which our community rules do not allow.",
  harassment: "Your comment harassed or targeted another person, which our community rules do not allow.",
  misinformation: "Your comment spread false information that could mislead other readers, which our community rules do not allow.",
  "off-topic": "Your comment was not about the article or the discussion, which our community rules ask for.",
  "illegal-content": "Your comment contained content that is illegal, so we may not publish it.",
  other: "A moderator decided your comment breaks our community rules.",
};

/** The explanation of a reason code (an unknown code is explained as "other"). */
export function explainReason(reason: string): string {
  return (DECISION_EXPLANATIONS as Record<string, string>)[reason] ?? DECISION_EXPLANATIONS.other;
}
