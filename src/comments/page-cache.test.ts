import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { cachedPage, configurePageCache, invalidateStory, pageCacheSize, pageJson } from "./page-cache.js";

interface Listed {
  id: string;
  bodyHtml: string;
  reactions: Record<string, number>;
  replyCount: number;
  replies?: { items: Listed[] };
}

for (const { dialect, skip } of DIALECTS) {
  describe(`thread page cache on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    // The clock moves between posts (rate limits); only a change may refresh a page here, never its age.
    before(async () => {
      configurePageCache({ ttlMs: 24 * 3600_000 });
      t = await testApp(dialect, { clock });
    });
    after(async () => {
      configurePageCache({ ttlMs: 1_000 });
      await t.close();
    });

    it("serves a page again until the database changes or its story is invalidated", async () => {
      let reads = 0;
      const get = () => cachedPage(t.app.deps, "unit", async () => ({ storyId: "story-a", page: ++reads }));
      // PostgreSQL's token moves with any commit in the cluster, other suites' too: allow a few tries.
      let served = false;
      for (let i = 0; i < 20 && !served; i++) served = (await get()) === (await get());
      assert.ok(served, "a repeated read is answered from the cache");

      const beforeWrite = await get();
      await t.store.db.updateTable("sites").set({ name: `Renamed ${reads}` }).where("id", "=", "default").execute();
      assert.notEqual(await get(), beforeWrite, "a committed write makes the next reader read again");

      const beforeInvalidation = await get();
      invalidateStory("story-a");
      assert.notEqual(await get(), beforeInvalidation, "invalidating the story makes the next reader read again");
    });

    it("holds pages of at most maxEntries stories, however many stories are read and invalidated", async () => {
      configurePageCache({ maxEntries: 5 });
      try {
        for (let i = 0; i < 200; i++) {
          await cachedPage(t.app.deps, `story-${i}`, async () => ({ storyId: `bounded-${i}`, page: i }));
          invalidateStory(`bounded-${i - 1}`);
          invalidateStory(`never-cached-${i}`);
        }
        const size = pageCacheSize();
        assert.ok(size.pages <= 5 && size.stories <= 5, JSON.stringify(size));
      } finally {
        configurePageCache({ maxEntries: 500, ttlMs: 24 * 3600_000 });
      }
    });

    it("serializes a page the cache shares once, and any other page every time", async () => {
      let serialized = 0;
      const serialize = () => `json ${++serialized}`;
      const fresh = { items: [] };
      assert.equal(pageJson(fresh, serialize), "json 1");
      assert.equal(pageJson(fresh, serialize), "json 2", "a page nobody shares is not kept");
      const get = () => cachedPage(t.app.deps, "json", async () => ({ storyId: "story-c", page: { items: [] } }));
      let page = await get();
      for (let i = 0; i < 20 && page !== (await get()); i++) page = await get();
      const first = pageJson(page, serialize);
      assert.equal(pageJson(page, serialize), first, "a shared page is serialized once");
      assert.equal(serialized, 3);
    });

    it("with writesInvalidate, relies on invalidateStory and the age limit, asking SQLite only", async () => {
      configurePageCache({ ttlMs: 1_000, writesInvalidate: true });
      try {
        let reads = 0;
        const get = () => cachedPage(t.app.deps, "trusted", async () => ({ storyId: "story-b", page: ++reads }));
        const first = await get();
        assert.equal(await get(), first);
        await t.store.db.updateTable("sites").set({ name: `Renamed ${reads}` }).where("id", "=", "default").execute();
        if (dialect === "sqlite") assert.notEqual(await get(), first, "SQLite's change token costs nothing and stays");
        else assert.equal(await get(), first, "PostgreSQL is not asked: a write nobody reported is not seen");
        const beforeInvalidation = await get();
        invalidateStory("story-b");
        assert.notEqual(await get(), beforeInvalidation, "an invalidated story is read again");
        const beforeAge = await get();
        clock.advance(1_000);
        assert.notEqual(await get(), beforeAge, "a page as old as the limit is read again");
      } finally {
        configurePageCache({ ttlMs: 24 * 3600_000, writesInvalidate: false });
      }
    });

    it("shows the next anonymous reader every change to a thread it has already read", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const bob = await signup(t.app, "Bob");
      const read = async (url: string) => {
        const res = await t.app.inject({ method: "GET", url });
        assert.equal(res.statusCode, 200, res.body);
        return res.json<{ items: Listed[] }>().items;
      };
      const newest = () => read(`/api/v1/stories/${storyId}/comments?sort=newest`);
      const top = () => read(`/api/v1/stories/${storyId}/comments?sort=top`);
      const later = () => clock.advance(10_000);

      const first = await post(t.app, ann.token, storyId, "First");
      assert.deepEqual((await newest()).map((c) => c.id), [first.id]);
      assert.deepEqual((await top()).map((c) => c.id), [first.id]);
      later();
      const second = await post(t.app, bob.token, storyId, "Second");
      assert.deepEqual((await newest()).map((c) => c.id), [second.id, first.id], "a new comment");
      assert.deepEqual((await top()).map((c) => c.id), [second.id, first.id]);

      later();
      const reply = await post(t.app, bob.token, storyId, "A reply", first.id);
      const withReply = (await newest()).find((c) => c.id === first.id);
      assert.equal(withReply?.replyCount, 1, "a new reply");
      assert.deepEqual(withReply?.replies?.items.map((r) => r.id), [reply.id]);
      const replies = () => read(`/api/v1/comments/${first.id}/replies`);
      assert.deepEqual((await replies()).map((r) => r.id), [reply.id]);
      later();
      const another = await post(t.app, ann.token, storyId, "Another reply", first.id);
      assert.deepEqual((await replies()).map((r) => r.id), [reply.id, another.id], "a new reply on a replies page");

      const liked = await t.app.inject({
        method: "POST",
        url: `/api/v1/comments/${first.id}/reactions`,
        headers: auth(bob.token),
        payload: { kind: "like" },
      });
      assert.ok(liked.statusCode < 300, liked.body);
      const byTop = await top();
      assert.deepEqual(byTop.map((c) => c.id), [first.id, second.id], "a reaction reorders the top sort");
      assert.deepEqual(byTop[0].reactions, { like: 1 });

      const edited = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/comments/${first.id}`,
        headers: auth(ann.token),
        payload: { body: "First, *edited*" },
      });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal((await newest()).find((c) => c.id === first.id)?.bodyHtml, "<p>First, <em>edited</em></p>", "an edit");

      const removed = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/comments/${second.id}`,
        headers: auth(bob.token),
      });
      assert.equal(removed.statusCode, 204, removed.body);
      assert.deepEqual((await newest()).map((c) => c.id), [first.id], "a deletion");
    });

    it("gives a signed-in reader their own view, never the anonymous page", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const bob = await signup(t.app, "Bob");
      const mine = await post(t.app, ann.token, storyId, "Mine");
      const url = `/api/v1/stories/${storyId}/comments`;
      const anonymous = (await t.app.inject({ method: "GET", url })).json<{ items: (Listed & { body?: string })[] }>();
      assert.equal(anonymous.items[0].body, undefined);
      const own = await t.app.inject({ method: "GET", url, headers: auth(ann.token) });
      assert.equal(own.json().items[0].body, "Mine", "the author sees the source of their comment");
      await t.app.inject({
        method: "POST",
        url: `/api/v1/comments/${mine.id}/reactions`,
        headers: auth(bob.token),
        payload: { kind: "like" },
      });
      const bobs = await t.app.inject({ method: "GET", url, headers: auth(bob.token) });
      assert.deepEqual(bobs.json().items[0].viewerReactions, ["like"]);
      const again = (await t.app.inject({ method: "GET", url })).json<{ items: { viewerReactions: string[] }[] }>();
      assert.deepEqual(again.items[0].viewerReactions, []);
    });
  });
}
