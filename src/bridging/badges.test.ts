import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decideBadges, qualifies } from "./badges.js";
import type { CommentScore, FitResult } from "./types.js";

const score = (intercept: number, factor = 0.1, negative = 5, positive = 5): CommentScore => ({
  intercept,
  factor,
  lowerBound: intercept - 0.1,
  ratingCount: 20,
  helpfulNegative: negative,
  helpfulPositive: positive,
});
const fitOf = (comments: Record<string, CommentScore>): FitResult => ({
  mu: 0.5,
  penalties: { mu: 0, readerIntercept: 0, readerFactor: 0, commentIntercept: 0, commentFactor: 0 },
  readers: new Map(),
  comments: new Map(Object.entries(comments)),
  residualVariance: 0.2,
  iterations: 1,
  converged: true,
  ratingsUsed: 0,
});

describe("badges", () => {
  it("earns the badge at 0.40, not at 0.39", () => {
    assert.equal(qualifies(score(0.4), false), true);
    assert.equal(qualifies(score(0.39), false), false);
  });

  it("keeps a badge at 0.39 but drops it at 0.35", () => {
    assert.equal(qualifies(score(0.39), true), true);
    assert.equal(qualifies(score(0.37), true), true);
    assert.equal(qualifies(score(0.35), true), false);
  });

  it("refuses one side's favourite and comments with helpful ratings from one side only", () => {
    assert.equal(qualifies(score(0.6, 0.5), false), false);
    assert.equal(qualifies(score(0.6, -0.7), false), false);
    assert.equal(qualifies(score(0.6, 0.1, 0, 12), false), false);
    assert.equal(qualifies(score(0.6, 0.1, 12, 1), false), false);
  });

  it("needs both the main fit and the safety refit", () => {
    const main = fitOf({ both: score(0.5), mainOnly: score(0.5), kept: score(0.38) });
    const safety = fitOf({ both: score(0.45), mainOnly: score(0.2), kept: score(0.38) });
    const badges = decideBadges({ main, safety, previous: new Set(["kept"]) });
    assert.deepEqual([...badges].sort(), ["both", "kept"]);
    const withoutSafety = decideBadges({ main, safety: null, previous: new Set() });
    assert.deepEqual([...withoutSafety].sort(), ["both", "mainOnly"]);
  });

  it("does not badge a comment the safety refit could not score", () => {
    const badges = decideBadges({ main: fitOf({ x: score(0.6) }), safety: fitOf({}), previous: new Set() });
    assert.equal(badges.size, 0);
  });
});
