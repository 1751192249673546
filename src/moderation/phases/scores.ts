import { AppError } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import type { ScoreCategory } from "../../classifier/types.js";
import { scorerForSite } from "../../classifier/registry.js";
import { DEFAULT_SWEARING_TOXICITY } from "../../classifier/index.js";
import type { Reason } from "../verdict.js";
import { bodyOf } from "./store.js";
import type { Phase } from "./types.js";

const CATEGORIES: ScoreCategory[] = ["toxicity", "insult", "identityAttack", "threat", "profanity", "spam"];

/**
 * Scores the text with the configured scorer (the local model by default) and holds it when
 * any category reaches its threshold. With nudging on, the author is first asked to reconsider.
 */
export const scores: Phase = async ({ deps, settings, body, story, confirm, parentId, swearing }) => {
  // A reply is read with the comment it answers, a top-level comment with the story's title.
  const parentText = parentId ? await bodyOf(deps.store.read, parentId) : undefined;
  const result = await scorerForSite(deps, story.site_id, settings).score(body, {
    storyTitle: story.title,
    ...(parentText !== undefined ? { parentText } : {}),
  });
  const over: Reason[] = [];
  let holdNow = false;
  // Swearing in plain sight (the default suspect list found it) is held only when toxicity
  // agrees, as the list held it before. With the default list, the profanity score needs the
  // same agreement: a swear word in a friendly comment is the site's style, not abuse.
  const agreed = result.scores.toxicity >= DEFAULT_SWEARING_TOXICITY;
  if (swearing && agreed) {
    holdNow = true;
    over.push({ phase: "words", code: "SUSPECT_WORD", message: "Contains a word on the suspect list, in a comment likely to read as hostile." });
  }
  for (const category of CATEGORIES) {
    const score = result.scores[category];
    if (category === "profanity" && settings.suspectWords === "default" && !agreed) continue;
    // A threshold of 1 turns a category off: a calibrated probability can round to 1.
    if (score >= settings.thresholds[category] && settings.thresholds[category] < 1) {
      if (score >= settings.holdThresholds[category] && settings.holdThresholds[category] < 1) holdNow = true;
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
  // Three lanes: under every threshold it publishes; in the middle the author is asked to
  // reconsider, with the passages that drove the score (a resubmission is held); at or over
  // a hold threshold it goes to a moderator at once.
  if (settings.nudge && !confirm && !holdNow) {
    throw new AppError(
      422,
      ErrorCodes.NEEDS_CONFIRMATION,
      "This comment may read as hostile to others. Edit it, or post it anyway for a moderator to review.",
      {
        categories: over.map((r) => r.code),
        spans: over.flatMap((r) => (r.spans ?? []).map(({ start, end, category }) => ({ start, end, category }))),
      },
    );
  }
  return { hold: true, reasons: over, scores: rounded };
};
