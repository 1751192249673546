import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { groupInformedConsensus, wilsonLowerBound } from "../../scripts/bridging/baselines.js";
import { indexRatings } from "../../src/bridging/matrix.js";
import { spearman } from "../../scripts/bridging/metrics.js";
import { simulate } from "../../scripts/bridging/simulate.js";
import { campRatings, ids, rate } from "./synthetic.js";

const small = { readers: 300, comments: 600, stories: 6, exposures: 20_000 };

describe("site simulator", () => {
  it("repeats exactly for a seed and differs for another", () => {
    const a = simulate({ ...small, seed: 9 });
    const b = simulate({ ...small, seed: 9 });
    const c = simulate({ ...small, seed: 10 });
    assert.deepEqual(a.ratings.value, b.ratings.value);
    assert.deepEqual(a.ratings.comment, b.ratings.comment);
    assert.deepEqual(a.likes, b.likes);
    assert.notDeepEqual(a.ratings.comment, c.ratings.comment);
  });

  it("adds brigade accounts that rate their targets helpful", () => {
    const site = simulate({
      ...small,
      seed: 1,
      brigade: { accounts: 30, side: -1, targets: 4, coordination: 1, camouflage: 3 },
    });
    const targets = [...site.brigadeTarget.keys()].filter((c) => site.brigadeTarget[c]);
    assert.equal(targets.length, 4);
    for (const c of targets) assert.ok(site.quality[c] < 0.3 && site.slant[c] < 0);
    const m = site.ratings;
    let brigadeHelpful = 0;
    for (let k = 0; k < m.reader.length; k++)
      if (site.brigadeAccount[m.reader[k]] && site.brigadeTarget[m.comment[k]]) brigadeHelpful += m.value[k];
    assert.equal(brigadeHelpful, 30 * 4);
  });
});

describe("baselines", () => {
  it("computes the Wilson lower bound", () => {
    const m = indexRatings([
      ...rate("x", ids("r", 10), 1, 1),
      ...ids("s", 10).map((readerId) => ({ readerId, commentId: "x", value: 0 })),
    ]);
    assert.ok(Math.abs(wilsonLowerBound(m)[0] - 0.2993) < 1e-3);
  });

  it("finds the two camps and rewards what both find helpful", () => {
    const ratings = [
      ...campRatings({ a: 30, b: 20, partisan: 12, seed: 2 }),
      ...rate("both", [...ids("a", 30), ...ids("b", 20)], 0.7, 3),
      ...rate("oneSide", ids("a", 30), 0.95, 4),
      ...rate("oneSide", ids("b", 20), 0.1, 5),
    ];
    const m = indexRatings(ratings);
    const { scores, group } = groupInformedConsensus(m);
    const groupOf = (id: string) => group[m.readerIds.indexOf(id)];
    assert.ok(ids("a", 30).every((id) => groupOf(id) === groupOf("a0")));
    assert.ok(ids("b", 20).every((id) => groupOf(id) === groupOf("b0")));
    assert.notEqual(groupOf("a0"), groupOf("b0"));
    assert.ok(scores[m.commentIds.indexOf("both")] > scores[m.commentIds.indexOf("oneSide")]);
  });

  it("ranks with Spearman's correlation, ties averaged", () => {
    assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40], [0, 1, 2, 3]), 1);
    assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1], [0, 1, 2, 3]), -1);
  });
});
