import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { listStoryComments } from "../comments/reads.js";
import { PROVISIONAL_BASE, SCORED_ABOVE, UNRATED_RANK, provisionalRank } from "./provisional.js";

describe("provisional ranks of comments the model has not scored yet", () => {
  const sides: Record<string, number> = { left1: -0.8, left2: -0.5, right1: 0.7 };
  const factorOf = (id: string) => sides[id];
  it("puts helpful across the divide above helpful from one side, and both above unrated", () => {
    const across = provisionalRank(
      [
        { userId: "left1", helpful: true },
        { userId: "right1", helpful: true },
      ],
      factorOf,
    );
    const oneSide = provisionalRank(
      [
        { userId: "left1", helpful: true },
        { userId: "left2", helpful: true },
      ],
      factorOf,
    );
    assert.ok(across > oneSide, `${across} > ${oneSide}`);
    assert.ok(oneSide > UNRATED_RANK);
    assert.ok(
      across <= SCORED_ABOVE && oneSide >= PROVISIONAL_BASE,
      "inside the provisional band, below every model score",
    );
  });
  it("leaves a comment rated not helpful on balance with the unrated ones", () => {
    assert.equal(provisionalRank([], factorOf), UNRATED_RANK);
    const rated = [
      { userId: "left1", helpful: true },
      { userId: "right1", helpful: false },
    ];
    assert.equal(provisionalRank(rated, factorOf), UNRATED_RANK);
  });
});

for (const { dialect, skip } of DIALECTS) {
  describe(`sort=best on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let storyId: string;
    const raters: { token: string; id: string }[] = [];
    let helpfulId: string;
    let scoredId: string;
    const trollIds: string[] = [];
    let troll: { token: string; id: string };
    let mod: { token: string; id: string };
    const page = (random: () => number, limit = 20) =>
      listStoryComments({ deps: t.app.deps, viewer: null, storyId, sort: "best", limit, random }).then((p) =>
        p.items.map((c) => c.id),
      );
    const rate = (token: string, id: string, value: "helpful" | "not_helpful") =>
      t.app.inject({ method: "PUT", url: `/api/v1/comments/${id}/rating`, headers: auth(token), payload: { value } });

    before(async () => {
      t = await testApp(dialect, { clock });
      storyId = await resolveStory(t.app);
      const elsewhere = await resolveStory(t.app);
      mod = await signup(t.app, "Mona Moderator");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", mod.id).execute();
      // Ratings count once the rater has published a comment of their own.
      for (const name of ["Rae", "Ravi"]) {
        const r = await signup(t.app, name);
        await post(t.app, r.token, elsewhere, `${name} commenting elsewhere.`);
        raters.push(r);
      }
      const ann = await signup(t.app, "Ann Helpful");
      const sam = await signup(t.app, "Sam Scored");
      scoredId = (await post(t.app, sam.token, storyId, "A comment the model has scored.")).id;
      clock.advance(1000);
      helpfulId = (await post(t.app, ann.token, storyId, "The library could open Sundays with volunteers.")).id;
      troll = await signup(t.app, "Troy Troll");
      for (let i = 0; i < 3; i++) {
        clock.advance(1000);
        trollIds.push((await post(t.app, troll.token, storyId, `Unrated rant number ${i}.`)).id);
      }
      await t.store.db
        .updateTable("comments")
        .set({ bridge_rank: 0.1, bridge_ratings: 9 })
        .where("id", "=", scoredId)
        .execute();
    });
    after(() => t.close());

    it("ranks a comment rated helpful above newer unrated ones, below the model's scored ones", async () => {
      const before = await page(() => 1);
      assert.deepEqual(before.slice(0, 2), [scoredId, trollIds[2]], "unrated: newest first, as before any rating");
      for (const r of raters) assert.equal((await rate(r.token, helpfulId, "helpful")).statusCode, 200);
      const after = await page(() => 1);
      assert.deepEqual(after, [scoredId, helpfulId, trollIds[2], trollIds[1], trollIds[0]]);
      // Withdrawn on balance, it falls back among the unrated.
      await rate(raters[0].token, helpfulId, "not_helpful");
      await rate(raters[1].token, helpfulId, "not_helpful");
      assert.deepEqual((await page(() => 1)).slice(0, 2), [scoredId, trollIds[2]]);
      for (const r of raters) await rate(r.token, helpfulId, "helpful");
    });

    it("lets an unrated comment above it only in the one exploration slot", async () => {
      // A short first page, so that unrated comments wait beyond it.
      assert.deepEqual(await page(() => 1, 3), [scoredId, helpfulId, trollIds[2]]);
      const explored = await page(() => 0, 3);
      assert.deepEqual(
        explored,
        [scoredId, helpfulId, trollIds[1], trollIds[2]],
        "the newest unrated one not shown, in the third place",
      );
    });

    it("gives a banned or suspended reader's comments no exploration slot", async () => {
      const act = (payload: object) =>
        t.app.inject({
          method: "POST",
          url: `/api/v1/moderation/users/${troll.id}/actions`,
          headers: auth(mod.token),
          payload,
        });
      const until = new Date(clock.now() + 3_600_000).toISOString();
      const plain = [scoredId, helpfulId, trollIds[2]];
      assert.equal((await act({ action: "suspend", until })).statusCode, 200);
      assert.deepEqual(await page(() => 0, 3), plain, "no slot: the troll's are the only unrated comments");
      await act({ action: "clear" });
      assert.equal((await act({ action: "ban" })).statusCode, 200);
      assert.deepEqual(await page(() => 0, 3), plain);
      await act({ action: "clear" });
      assert.equal((await act({ action: "ban", siteId: "default" })).statusCode, 200);
      assert.deepEqual(await page(() => 0, 3), plain, "a ban from the story's site too");
      await act({ action: "clear" });
      assert.equal((await page(() => 0, 3)).length, 4, "cleared, the slot is theirs again");
    });
  });
}
