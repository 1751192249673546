import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fit } from "./model.js";
import { seededRandom } from "./random.js";
import type { Rating } from "./types.js";

/**
 * Camp A of 60 readers, camp B of 20. Twenty partisan comments per camp are rated helpful by
 * 90% of their camp and 10% of the other; "bridge" is rated helpful by 65% of both camps;
 * "oneSided" by 95% of A and 10% of B, which gives it the higher raw helpful rate because A is larger.
 */
function twoCamps(seed = 7): Rating[] {
  const random = seededRandom(seed);
  const ratings: Rating[] = [];
  const readers = Array.from({ length: 80 }, (_, i) => ({ id: `r${i}`, camp: i < 60 ? "A" : "B" }));
  for (const camp of ["A", "B"]) {
    for (let j = 0; j < 20; j++) {
      for (const r of readers) {
        const own = r.camp === camp;
        ratings.push({ readerId: r.id, commentId: `${camp}${j}`, value: random.next() < (own ? 0.9 : 0.1) ? 1 : 0 });
      }
    }
  }
  for (const r of readers) {
    ratings.push({ readerId: r.id, commentId: "bridge", value: random.next() < 0.65 ? 1 : 0 });
    ratings.push({
      readerId: r.id,
      commentId: "oneSided",
      value: random.next() < (r.camp === "A" ? 0.95 : 0.1) ? 1 : 0,
    });
  }
  return ratings;
}

describe("bridging model", () => {
  it("gives a comment both camps find helpful a higher intercept than one helpful to one camp", () => {
    const ratings = twoCamps();
    const rate = (id: string) => {
      const own = ratings.filter((r) => r.commentId === id);
      return own.reduce((s, r) => s + r.value, 0) / own.length;
    };
    // The one-sided comment is rated helpful more often overall; the model must still prefer the bridge.
    assert.ok(rate("oneSided") > rate("bridge"), `${rate("oneSided")} vs ${rate("bridge")}`);
    const result = fit(ratings);
    const bridge = result.comments.get("bridge");
    const oneSided = result.comments.get("oneSided");
    assert.ok(bridge && oneSided);
    assert.ok(bridge.intercept > oneSided.intercept, `${bridge.intercept} vs ${oneSided.intercept}`);
    assert.ok(Math.abs(bridge.factor) < Math.abs(oneSided.factor));
    // Partisan comments are explained by the factor, not by the intercept.
    const partisan = result.comments.get("A3");
    assert.ok(partisan && Math.abs(partisan.factor) > 0.5 && partisan.intercept < bridge.intercept);
    assert.ok(result.converged);
  });

  it("separates the camps on the factor and puts the larger side on the positive side", () => {
    // Drop most of camp A so that B (20 readers) is the larger side.
    const ratings = twoCamps().filter((r) => Number(r.readerId.slice(1)) >= 50);
    const result = fit(ratings);
    const a = [...result.readers].filter(([id]) => Number(id.slice(1)) < 60).map(([, r]) => r.factor);
    const b = [...result.readers].filter(([id]) => Number(id.slice(1)) >= 60).map(([, r]) => r.factor);
    assert.equal(a.length + b.length, 30);
    assert.ok(
      b.every((f) => f > 0),
      "camp B (20 readers) positive",
    );
    assert.ok(
      a.every((f) => f < 0),
      "camp A (10 readers) negative",
    );
  });

  it("counts readers only from their tenth rating and scores comments only from their fifth", () => {
    const ratings = twoCamps();
    // A newcomer with 9 ratings, all helpful on B's partisan comments.
    for (let j = 0; j < 9; j++) ratings.push({ readerId: "newcomer", commentId: `B${j}`, value: 1 });
    // A comment with 4 ratings from counted readers.
    for (let i = 0; i < 4; i++) ratings.push({ readerId: `r${i}`, commentId: "fresh", value: 1 });
    const result = fit(ratings);
    assert.equal(result.readers.has("newcomer"), false);
    assert.equal(result.comments.has("fresh"), false);
    assert.equal(result.comments.get("B0")?.ratingCount, 80);
    const withTenth = fit([...ratings, { readerId: "newcomer", commentId: "B9", value: 1 }]);
    assert.equal(withTenth.readers.get("newcomer")?.ratingCount, 10);
    assert.equal(withTenth.comments.get("B0")?.ratingCount, 81);
  });

  it("ranks a comment with few ratings below an equally rated one with many by the lower bound", () => {
    const ratings = twoCamps();
    for (let i = 0; i < 80; i += 8) ratings.push({ readerId: `r${i}`, commentId: "few", value: 1 });
    for (let i = 0; i < 80; i++) ratings.push({ readerId: `r${i}`, commentId: "many", value: 1 });
    const result = fit(ratings);
    const few = result.comments.get("few")!;
    const many = result.comments.get("many")!;
    assert.ok(many.intercept - many.lowerBound < few.intercept - few.lowerBound);
    assert.ok(many.lowerBound > few.lowerBound);
  });

  it("repeats exactly for a seed", () => {
    const a = fit(twoCamps(3), { seed: 5 });
    const b = fit(twoCamps(3), { seed: 5 });
    assert.deepEqual([...a.comments], [...b.comments]);
    assert.equal(a.mu, b.mu);
  });
});
