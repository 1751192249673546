import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { listStoryComments } from "../comments/reads.js";
import { rescoreRecentlyRated } from "./refit.js";
import { DIALECTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../../test/helpers.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`helpful ratings and the bridging refit on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());

    it("takes one changeable rating per reader, never on one's own comment", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const bob = await signup(t.app, "Bob");
      const c = await post(t.app, ann.token, storyId, "A claim with a source.");
      const rate = (token: string, value: string) =>
        t.app.inject({
          method: "PUT",
          url: `/api/v1/comments/${c.id}/rating`,
          headers: auth(token),
          payload: { value },
        });
      assert.equal((await rate(ann.token, "helpful")).statusCode, 403);
      assert.equal((await rate(bob.token, "helpful")).statusCode, 200);
      assert.equal((await rate(bob.token, "not_helpful")).statusCode, 200);
      assert.equal((await rate(bob.token, "meh")).statusCode, 400);
      const rows = await t.store.db
        .selectFrom("ratings")
        .select(["user_id", "value"])
        .where("comment_id", "=", c.id)
        .execute();
      assert.deepEqual(rows, [{ user_id: bob.id, value: 0 }]);
      assert.equal(
        (
          await t.app.inject({
            method: "PUT",
            url: "/api/v1/comments/nope/rating",
            headers: auth(bob.token),
            payload: { value: "helpful" },
          })
        ).statusCode,
        404,
      );
    });

    it("badges the comment both camps find helpful and ranks it above the partisan ones", async () => {
      const storyId = await resolveStory(t.app);
      const admin = await signup(t.app, "Admin");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
      const authors = await Promise.all(Array.from({ length: 4 }, (_, i) => signup(t.app, `Author ${i}`)));
      const bridge = await post(
        t.app,
        authors[0].token,
        storyId,
        "The photo is from 2019; the archive caption says so.",
      );
      const left = await post(t.app, authors[1].token, storyId, "The council is always right.");
      const right = await post(t.app, authors[2].token, storyId, "The council is always wrong.");
      const fillers = [];
      for (let i = 0; i < 10; i++)
        fillers.push(await post(t.app, authors[3].token, storyId, `Filler remark number ${i} on the lanes.`));
      const readers = [];
      for (let i = 0; i < 16; i++) {
        const reader = await signup(t.app, `Reader ${i}`);
        await post(t.app, reader.token, storyId, `My own view, reader ${i}.`);
        readers.push({ ...reader, camp: i % 2 });
      }
      for (const reader of readers) {
        const rate = (id: string, helpful: boolean) =>
          t.app.inject({
            method: "PUT",
            url: `/api/v1/comments/${id}/rating`,
            headers: auth(reader.token),
            payload: { value: helpful ? "helpful" : "not_helpful" },
          });
        await rate(bridge.id, true);
        await rate(left.id, reader.camp === 0);
        await rate(right.id, reader.camp === 1);
        for (const [j, filler] of fillers.entries()) await rate(filler.id, (j + reader.camp) % 2 === 0);
      }
      const refit = await t.app.inject({
        method: "POST",
        url: "/api/v1/admin/bridging/refit",
        headers: auth(admin.token),
      });
      assert.equal(refit.statusCode, 200, refit.body);
      const fitted = (refit.json() as { sites: { ratings: number; scoredComments: number; badges: number }[] }).sites;
      assert.ok(fitted.some((site) => site.ratings > 0 && site.scoredComments >= 3 && site.badges >= 1), refit.body);
      const scores = await t.store.db
        .selectFrom("comments")
        .select(["id", "bridge_rank", "bridge_badge"])
        .where("id", "in", [bridge.id, left.id, right.id])
        .execute();
      const of = (id: string) => scores.find((s) => s.id === id);
      assert.ok((of(bridge.id)?.bridge_rank ?? -1000) > (of(left.id)?.bridge_rank ?? -1000));
      assert.ok((of(bridge.id)?.bridge_rank ?? -1000) > (of(right.id)?.bridge_rank ?? -1000));
      assert.equal(of(bridge.id)?.bridge_badge, 1);
      assert.equal(of(left.id)?.bridge_badge, 0);
      const shown = await t.app.inject({ method: "GET", url: `/api/v1/comments/${bridge.id}` });
      assert.equal(shown.json().comment.helpfulBadge, true);
      assert.equal(
        (await t.app.inject({ method: "POST", url: "/api/v1/admin/bridging/refit", headers: auth(readers[0].token) }))
          .statusCode,
        403,
      );
    });
  });
}
