/**
 * The "readers agree this is helpful" badge. Thresholds differ for earning and keeping it, so a
 * comment sitting at the edge does not flicker between refits.
 */
import type { CommentScore, FitResult } from "./types.js";

export interface BadgeOptions {
  /** Intercept needed to earn the badge (Community Notes: 0.40). */
  earnAt: number;
  /** A badged comment keeps it while its intercept stays at or above this. */
  keepAt: number;
  /** |factor| must stay below this to earn the badge: the comment may not be one side's favourite. */
  maxFactor: number;
  /** …and below this to keep it. */
  keepMaxFactor: number;
  /** Helpful ratings needed from readers on each side of the factor. */
  minHelpfulPerSide: number;
}

export const DEFAULT_BADGE_OPTIONS: BadgeOptions = {
  earnAt: 0.4,
  keepAt: 0.37,
  maxFactor: 0.5,
  keepMaxFactor: 0.55,
  minHelpfulPerSide: 2,
};

/** Whether one fit supports the badge, given whether the comment held it before. */
export function qualifies(score: CommentScore, hadBadge: boolean, options: Partial<BadgeOptions> = {}): boolean {
  const o = { ...DEFAULT_BADGE_OPTIONS, ...options };
  const floor = hadBadge ? o.keepAt : o.earnAt;
  const maxFactor = hadBadge ? o.keepMaxFactor : o.maxFactor;
  return (
    score.intercept >= floor &&
    Math.abs(score.factor) < maxFactor &&
    score.helpfulNegative >= o.minHelpfulPerSide &&
    score.helpfulPositive >= o.minHelpfulPerSide
  );
}

export interface BadgeInput {
  main: FitResult;
  /** The refit without the most active raters; null skips the check (tests, tiny sites). */
  safety: FitResult | null;
  /** Comments that held the badge after the previous refit. */
  previous: ReadonlySet<string>;
  options?: Partial<BadgeOptions>;
}

/** The comments that hold the badge after this refit: both fits must agree. */
export function decideBadges({ main, safety, previous, options }: BadgeInput): Set<string> {
  const badges = new Set<string>();
  for (const [id, score] of main.comments) {
    const had = previous.has(id);
    if (!qualifies(score, had, options)) continue;
    if (safety) {
      const check = safety.comments.get(id);
      if (!check || !qualifies(check, had, options)) continue;
    }
    badges.add(id);
  }
  return badges;
}
