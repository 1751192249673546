import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { scoreComments } from "./incremental.js";
import { fit } from "./model.js";
import { scoreSite } from "./scoring.js";
import { campRatings, ids, rate } from "../../test/bridging/synthetic.js";
import type { Rating } from "./types.js";

const everyone = [...ids("a", 40), ...ids("b", 20)];

describe("incremental scoring", () => {
  it("scores new comments with the readers held fixed, close to a full refit", () => {
    const base = campRatings({ a: 40, b: 20, partisan: 20, seed: 4 });
    const fresh: Rating[] = [
      ...rate("bridging", everyone, 0.85, 1),
      ...rate("oneSided", ids("a", 40), 0.95, 2),
      ...rate("oneSided", ids("b", 20), 0.1, 3),
    ];
    const previous = fit(base);
    const quick = scoreComments(previous, [...fresh, { readerId: "stranger", commentId: "bridging", value: 0 }]);
    const full = fit([...base, ...fresh]);
    for (const id of ["bridging", "oneSided"]) {
      assert.ok(Math.abs(quick.get(id)!.intercept - full.comments.get(id)!.intercept) < 0.03, id);
      assert.ok(Math.abs(quick.get(id)!.factor - full.comments.get(id)!.factor) < 0.1, id);
    }
    assert.equal(quick.get("bridging")!.ratingCount, 60, "the unknown reader is ignored");
    assert.ok(quick.get("bridging")!.intercept > quick.get("oneSided")!.intercept);
    assert.ok(quick.get("bridging")!.lowerBound < quick.get("bridging")!.intercept);
  });

  it("leaves a comment with four counted ratings unscored", () => {
    const previous = fit(campRatings({ a: 10, b: 10, partisan: 10, seed: 1 }));
    const quick = scoreComments(previous, rate("new", ["a1", "a2", "b1", "b2", "stranger"], 1, 1));
    assert.equal(quick.has("new"), false);
  });
});

describe("a site refit", () => {
  // The busiest reader (a0) also rated 40 comments nobody else rated.
  const busy = ids("x", 40).map((commentId) => ({ readerId: "a0", commentId, value: 1 }));
  const base = [...campRatings({ a: 40, b: 20, partisan: 20, seed: 5 }), ...busy];
  const wide = rate("wide", everyone, 0.95, 6);
  const narrow = rate("narrow", ["a0", "a1", "a2", "b0", "b1"], 1, 7);

  it("badges a comment both camps rate helpful, and keeps scores on every scored comment", () => {
    const site = scoreSite({ ratings: [...base, ...wide] });
    assert.equal(site.comments.get("wide")?.badge, true);
    assert.equal(site.comments.get("A1")?.badge, false);
    assert.equal(site.readersLeftOutOfSafety, 1);
    assert.equal(site.comments.size, 41);
  });

  it("withholds the badge when the comment cannot stand without the most active rater", () => {
    // The paper's weak regularisation lets five ratings carry a badge, which isolates the safety check.
    const fit = { regularisation: "sum" } as const;
    const withoutSafety = scoreSite({ ratings: [...base, ...narrow], safetyShare: 0, fit });
    assert.equal(withoutSafety.comments.get("narrow")?.badge, true);
    const site = scoreSite({ ratings: [...base, ...narrow], fit });
    assert.equal(site.safety?.comments.has("narrow"), false);
    assert.equal(site.comments.get("narrow")?.badge, false);
  });

  it("repeats exactly for the same ratings", () => {
    const a = scoreSite({ ratings: [...base, ...wide], fit: { seed: 3 } });
    const b = scoreSite({ ratings: [...base, ...wide], fit: { seed: 3 } });
    assert.deepEqual([...a.comments], [...b.comments]);
  });
});
