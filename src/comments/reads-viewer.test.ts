import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { authenticate } from "../accounts/service.js";
import type { Actor } from "../accounts/actor.js";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { listStoryComments, readStoryComments } from "./reads.js";
import type { Sort } from "./cursor.js";

/**
 * A plain reader's first page is the cached anonymous page dressed with their own reactions
 * and sources: it must equal the page built for them from the database, field for field.
 */
for (const { dialect, skip } of DIALECTS) {
  describe(`a signed-in reader's first page from the cached page on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let storyId: string;
    let ann: { token: string; id: string };
    let bob: { token: string; id: string };
    const actor = async (token: string): Promise<Actor> => {
      const found = await authenticate(t.app.deps, token);
      assert.ok(found);
      return found;
    };
    const both = async (viewer: Actor, sort: Sort) => {
      const props = { deps: t.app.deps, viewer, storyId, sort, limit: 5, random: () => 1 };
      // Once to fill the cache, once served from it.
      await listStoryComments({ ...props, viewer: null });
      return { listed: await listStoryComments(props), built: await readStoryComments(props) };
    };

    before(async () => {
      t = await testApp(dialect, { clock });
      storyId = await resolveStory(t.app);
      ann = await signup(t.app, "Ann Viewer");
      bob = await signup(t.app, "Bob Other");
      const tick = () => clock.advance(1000);
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        tick();
        ids.push((await post(t.app, i % 3 === 0 ? ann.token : bob.token, storyId, `Top-level comment number ${i}, with *emphasis*.`)).id);
      }
      for (let i = 0; i < 5; i++) {
        tick();
        await post(t.app, i % 2 === 0 ? ann.token : bob.token, storyId, `Reply ${i} to the newest.`, ids[7]);
      }
      tick();
      const gone = await post(t.app, ann.token, storyId, "Ann deletes this one.");
      assert.equal((await t.app.inject({ method: "DELETE", url: `/api/v1/comments/${gone.id}`, headers: auth(ann.token) })).statusCode < 300, true);
      for (const [i, id] of ids.entries()) {
        const kind = ["like", "insightful", "funny"][i % 3];
        await t.app.inject({ method: "POST", url: `/api/v1/comments/${id}/reactions`, headers: auth(i % 2 ? ann.token : bob.token), payload: { kind } });
        if (i % 4 === 1) await t.app.inject({ method: "POST", url: `/api/v1/comments/${id}/reactions`, headers: auth(ann.token), payload: { kind: "like" } });
      }
    });
    after(() => t.close());

    for (const sort of ["newest", "oldest", "top"] as const) {
      it(`equals the page built for the reader (${sort})`, async () => {
        const { listed, built } = await both(await actor(ann.token), sort);
        assert.deepEqual(listed, built);
        const own = listed.items.flatMap((c) => [c, ...(c.replies?.items ?? [])]).filter((c) => c.author.id === ann.id);
        assert.ok(own.length > 0 && own.every((c) => typeof c.body === "string"), "the reader sees the sources of their own comments");
        assert.ok(listed.items.some((c) => c.viewerReactions.length > 0), "and their reactions");
      });
    }

    it("lists the reader's own pending comment, which the cached page does not hold", async () => {
      clock.advance(1000);
      const waiting = await post(t.app, bob.token, storyId, "Bob's comment that a moderator will look at.");
      await t.store.db.updateTable("comments").set({ status: "pending" }).where("id", "=", waiting.id).execute();
      const { listed, built } = await both(await actor(bob.token), "newest");
      assert.deepEqual(listed, built);
      assert.equal(listed.items[0].id, waiting.id);
      const anonymous = await listStoryComments({ deps: t.app.deps, viewer: null, storyId, sort: "newest", limit: 5 });
      assert.ok(!anonymous.items.some((c) => c.id === waiting.id));
      // Ann, with nothing pending, still gets the cached page, without Bob's waiting comment.
      const forAnn = await both(await actor(ann.token), "newest");
      assert.deepEqual(forAnn.listed, forAnn.built);
      assert.ok(!forAnn.listed.items.some((c) => c.id === waiting.id));
    });

    it("builds a moderator's page from the database (sources of every comment)", async () => {
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", bob.id).execute();
      const { listed, built } = await both(await actor(bob.token), "newest");
      assert.deepEqual(listed, built);
      assert.ok(listed.items.filter((c) => c.status !== "removed").every((c) => typeof c.body === "string"));
    });
  });
}
