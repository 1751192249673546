/**
 * `sort=best`: comments by the lower bound of their intercept, with one slot that shows a new,
 * not yet scored comment to a random share of readers so new comments can earn ratings at all.
 */
export interface BestCandidate {
  id: string;
  /** null while the comment has too few ratings to be scored. */
  lowerBound: number | null;
  /** Milliseconds; newer unscored comments are tried first. */
  createdAt: number;
}

export interface BestOptions {
  /** 0-based position of the exploration slot. */
  explorationSlot: number;
  /** Share of page views that get an unscored comment in that slot. */
  explorationShare: number;
  /** Uniform [0, 1): inject per request so tests control it. */
  random: () => number;
}

export const DEFAULT_BEST_OPTIONS: Omit<BestOptions, "random"> = { explorationSlot: 2, explorationShare: 0.2 };

export function orderBest<T extends BestCandidate>(comments: readonly T[], options: BestOptions): T[] {
  const scored = comments.filter((c) => c.lowerBound !== null);
  const unscored = comments.filter((c) => c.lowerBound === null);
  scored.sort(
    (a, b) => (b.lowerBound as number) - (a.lowerBound as number) || b.createdAt - a.createdAt || cmp(a.id, b.id),
  );
  unscored.sort((a, b) => b.createdAt - a.createdAt || cmp(a.id, b.id));
  if (unscored.length > 0 && options.random() < options.explorationShare) {
    const pick = unscored.splice(Math.floor(options.random() * unscored.length), 1)[0];
    scored.splice(Math.min(options.explorationSlot, scored.length), 0, pick);
  }
  return [...scored, ...unscored];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
