import { AppError } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import type { ScoreCategory } from "../../classifier/types.js";
import { scorerForSite } from "../../classifier/registry.js";
import type { Reason } from "../verdict.js";
import type { Phase } from "./types.js";

const CATEGORIES: ScoreCategory[] = ["toxicity", "insult", "identityAttack", "threat", "profanity", "spam"];

/**
 * Scores the text with the configured scorer (the local model by default) and holds it when
 * any category reaches its threshold. With nudging on, the author is first asked to reconsider.
 */
export const scores: Phase = async ({ deps, settings, body, story, confirm }) => {
  const result = await scorerForSite(deps, story.site_id, settings).score(body, { storyTitle: story.title });
  const over: Reason[] = [];
  for (const category of CATEGORIES) {
    const score = result.scores[category];
    if (score >= settings.thresholds[category]) {
      over.push({
        phase: "scores",
        code: `SCORE_${category.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`,
        message: `${category} scored ${score.toFixed(2)} (threshold ${settings.thresholds[category]}).`,
        score,
        spans: result.spans.filter((s) => s.category === category),
      });
    }
  }
  const rounded = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(result.scores[c] * 1000) / 1000]));
  // A site whose external scorer is down and set to fail closed holds everything for review.
  const unavailable: Reason[] = result.unavailable
    ? [{ phase: "scores", code: result.unavailable.code, message: result.unavailable.message }]
    : [];
  if (over.length === 0)
    return unavailable.length ? { hold: true, reasons: unavailable, scores: rounded } : { scores: rounded };
  if (settings.nudge && !confirm) {
    throw new AppError(
      422,
      ErrorCodes.NEEDS_CONFIRMATION,
      "This comment may read as hostile to others. Edit it, or post it anyway for a moderator to review.",
      {
        categories: over.map((r) => r.code),
      },
    );
  }
  return { hold: true, reasons: over, scores: rounded };
};
