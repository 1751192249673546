import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, signup, testApp } from "../../test/helpers.js";

const HOUR = 3600_000;

for (const { dialect, skip } of DIALECTS) {
  describe(`moderation statistics and the story list on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock(Date.parse("2026-11-20T12:30:00Z"));
    let mod: { token: string; id: string };
    let busy: string;
    let quiet: string;
    const get = (url: string, token = mod.token) => t.app.inject({ method: "GET", url, headers: auth(token) });

    before(async () => {
      t = await testApp(dialect, { clock });
      mod = await signup(t.app, "Moderator");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", mod.id).execute();
      const reader = await signup(t.app, "Reader");
      const held = await signup(t.app, "Held reader");
      await t.store.db.updateTable("users").set({ premod: 1 }).where("id", "=", held.id).execute();
      busy = await resolveStory(t.app, "/busy-council-vote");
      clock.advance(1000);
      quiet = await resolveStory(t.app, "/quiet-weather");
      // Three days ago: outside the day, inside the week.
      clock.advance(-3 * 24 * HOUR);
      await post(t.app, reader.token, quiet, "An old remark on the weather.");
      clock.advance(3 * 24 * HOUR - 2 * HOUR);
      await post(t.app, reader.token, busy, "Two hours ago, first.");
      await post(t.app, reader.token, busy, "Two hours ago, second.");
      clock.advance(2 * HOUR);
      const first = await post(t.app, held.token, busy, "Held for review, one.");
      await post(t.app, held.token, busy, "Held for review, two.");
      assert.equal(first.status, "pending");
      const rejected = await t.app.inject({
        method: "POST",
        url: `/api/v1/moderation/comments/${first.id}/decision`,
        headers: auth(mod.token),
        payload: { action: "reject" },
      });
      assert.equal(rejected.statusCode, 200, rejected.body);
      clock.advance(90 * 60_000);
    });
    after(() => t.close());

    it("counts comments per hour by status over the last day", async () => {
      const res = await get("/api/v1/moderation/stats?range=day");
      assert.equal(res.statusCode, 200, res.body);
      const stats = res.json();
      assert.equal(stats.perHour.length, 24);
      assert.equal(stats.total, 4, "the three-day-old comment is outside the day");
      assert.deepEqual(stats.shares, { published: 2, pending: 1, rejected: 1, removed: 0 });
      const at = (iso: string) => stats.perHour.find((h: { at: string }) => h.at === iso);
      assert.equal(at("2026-11-20T10:00:00.000Z").published, 2);
      assert.equal(at("2026-11-20T12:00:00.000Z").pending, 1);
      assert.equal(at("2026-11-20T12:00:00.000Z").rejected, 1);
      assert.equal(stats.perHour.at(-1).at, "2026-11-20T14:00:00.000Z");
    });

    it("ranks hold reasons from the stored reasons and the busiest stories", async () => {
      const stats = (await get("/api/v1/moderation/stats")).json();
      assert.deepEqual(stats.topHoldReasons, [{ code: "USER_PREMOD", phase: "premod", count: 2 }]);
      assert.equal(stats.busiestStories[0].id, busy);
      assert.equal(stats.busiestStories[0].comments, 4);
      assert.equal(stats.busiestStories[0].pending, 1);
      assert.equal(stats.busiestStories.length, 1);
    });

    it("reports the pending queue's age and covers a week when asked", async () => {
      const week = (await get("/api/v1/moderation/stats?range=week")).json();
      assert.equal(week.perHour.length, 168);
      assert.equal(week.total, 5);
      assert.equal(week.busiestStories.length, 2);
      assert.equal(week.queue.pending, 1);
      assert.equal(week.queue.oldestAgeHours, 1.5);
      assert.deepEqual(
        week.queue.ages.map((a: { count: number }) => a.count),
        [0, 1, 0, 0],
      );
      const other = (await get("/api/v1/moderation/stats?siteId=elsewhere")).json();
      assert.equal(other.total, 0);
    });

    it("gives live queue counts", async () => {
      const res = await get(`/api/v1/moderation/counts?storyId=${busy}`);
      assert.deepEqual(res.json(), { pending: 1, reported: 0, rejected: 1 });
    });

    it("lists stories newest first with pending counts, searchable and keyset-paged", async () => {
      const first = (await get("/api/v1/moderation/stories?limit=1")).json();
      assert.equal(first.items.length, 1);
      assert.equal(first.items[0].id, quiet);
      assert.ok(first.nextCursor);
      const second = (await get(`/api/v1/moderation/stories?limit=1&cursor=${first.nextCursor}`)).json();
      assert.equal(second.items[0].id, busy);
      assert.equal(second.items[0].pending, 1);
      assert.equal(second.items[0].reported, 0);
      assert.equal(second.nextCursor, null);
      const found = (await get("/api/v1/moderation/stories?q=COUNCIL")).json();
      assert.deepEqual(
        found.items.map((s: { id: string }) => s.id),
        [busy],
      );
      assert.equal((await get("/api/v1/moderation/stories?status=closed")).json().items.length, 0);
      assert.equal((await get("/api/v1/moderation/stories?cursor=nonsense")).json().error.code, "INVALID_CURSOR");
    });

    it("is for moderators only", async () => {
      const reader = await signup(t.app, "Curious reader");
      assert.equal((await get("/api/v1/moderation/stats", reader.token)).statusCode, 403);
      assert.equal((await get("/api/v1/moderation/stories", reader.token)).statusCode, 403);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/moderation/stats" })).statusCode, 401);
    });
  });
}
