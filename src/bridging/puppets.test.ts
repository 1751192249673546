import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { indexRatings } from "./matrix.js";
import { fit } from "./model.js";
import { readerWeights } from "./puppets.js";
import { campRatings, ids, rate } from "../../test/bridging/synthetic.js";
import type { Rating } from "./types.js";

/**
 * Accounts that rate the same 20 comments the same way, half of each camp's, so they look
 * neutral on the factor, each adding two ratings of its own.
 */
function ring(prefix: string, size: number): Rating[] {
  const ratings: Rating[] = [];
  for (let i = 0; i < size; i++) {
    const readerId = `${prefix}${i}`;
    for (let j = 0; j < 10; j++) {
      ratings.push({ readerId, commentId: `B${j}`, value: j < 5 ? 1 : 0 });
      ratings.push({ readerId, commentId: `A${j}`, value: j < 5 ? 1 : 0 });
    }
    ratings.push({ readerId, commentId: `A${10 + (i % 10)}`, value: 0 });
    ratings.push({ readerId, commentId: `B${10 + ((i + 3) % 10)}`, value: 0 });
  }
  return ratings;
}

describe("sock puppets", () => {
  it("counts a ring of near-identical accounts as one reader", () => {
    const honest = campRatings({ a: 40, b: 20, partisan: 20, seed: 3 });
    const m = indexRatings([...honest, ...ring("p", 30)]);
    const w = readerWeights(m);
    const weightOf = (id: string) => w.weight[m.readerIds.indexOf(id)];
    assert.equal(w.rings, 1);
    assert.equal(w.readersInRings, 30);
    let ringWeight = 0;
    for (let i = 0; i < 30; i++) ringWeight += weightOf(`p${i}`);
    assert.ok(Math.abs(ringWeight - 1) < 1e-9, `ring weighs ${ringWeight}`);
    // Camp members agree with each other on most ratings but are not near-identical.
    assert.equal(weightOf("b3"), 1);
    assert.equal(weightOf("a0"), 1);
  });

  it("keeps a ring from promoting its comment into the lead", () => {
    const honest = campRatings({ a: 40, b: 20, partisan: 20, seed: 3 });
    const good = rate("good", [...ids("a", 40), ...ids("b", 20)], 0.6, 9);
    const target = [...rate("target", ids("b", 20), 0.5, 10), ...rate("target", ids("a", 40), 0.2, 11)];
    const puppets = ring("p", 100).concat(
      ids("p", 100).map((readerId) => ({ readerId, commentId: "target", value: 1 })),
    );
    const ratings = [...honest, ...good, ...target, ...puppets];
    const m = indexRatings(ratings);
    const w = readerWeights(m);
    const weights = new Map(m.readerIds.map((id, u) => [id, w.weight[u]]));
    const naive = fit(ratings);
    const guarded = fit(ratings, {}, weights);
    assert.ok(
      naive.comments.get("target")!.intercept > naive.comments.get("good")!.intercept,
      "the ring wins unguarded",
    );
    assert.ok(guarded.comments.get("target")!.intercept < guarded.comments.get("good")!.intercept);
  });

  it("lets weight grow with history when asked", () => {
    const ratings = campRatings({ a: 5, b: 5, partisan: 6, seed: 1 }).filter(
      (r) => r.readerId !== "a0" || r.commentId < "B",
    );
    const m = indexRatings(ratings);
    const w = readerWeights(m, { fullWeightAt: 12, puppetAgreement: 1.01 });
    const at = (id: string) => w.weight[m.readerIds.indexOf(id)];
    assert.equal(at("a0"), 0, "6 ratings: not counted");
    assert.equal(at("a1"), 1, "12 ratings: full weight");
    const ramp = readerWeights(m, { fullWeightAt: 24, puppetAgreement: 1.01 });
    assert.equal(ramp.weight[m.readerIds.indexOf("a1")], 0.5);
  });
});
