import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, testApp } from "../../test/helpers.js";
import { HANDLERS } from "./handlers.js";
import { account } from "../../test/notifications.js";
import { OutboxWorker } from "./worker.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`in-app notifications and follows on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let worker: OutboxWorker;
    const clock = manualClock();
    before(async () => {
      t = await testApp(dialect, { clock, env: { PARLEY_WORKER: "false" } });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
    });
    after(async () => {
      await worker.stop();
      await t.close();
    });

    const inbox = (token: string, query = "") => t.app.inject({ method: "GET", url: `/api/v1/me/notifications${query}`, headers: auth(token) });

    it("lists replies, quotes, moderation outcomes and staff messages; counts and marks them read", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await account(t.app, "Ann");
      const bob = await account(t.app, "Bob");
      const moderator = await account(t.app, "Mod", "moderator");
      const top = await post(t.app, ann.token, storyId, "Turnout was 61 percent.");
      await post(t.app, bob.token, storyId, "Source?", top.id);
      await post(t.app, ann.token, storyId, "My own follow-up.", top.id);
      clock.advance(1000);
      const quote = await t.app.inject({
        method: "POST",
        url: `/api/v1/stories/${storyId}/comments`,
        headers: auth(bob.token),
        payload: { body: "Really?", quote: { source: "comment", commentId: top.id, text: "61 percent" } },
      });
      assert.equal(quote.statusCode, 201);
      clock.advance(1000);
      const staff = await t.app.inject({ method: "POST", url: `/api/v1/moderation/users/${ann.id}/messages`, headers: auth(moderator.token), payload: { message: "Thanks for the correction." } });
      assert.equal(staff.statusCode, 201);
      const denied = await t.app.inject({ method: "POST", url: `/api/v1/moderation/users/${ann.id}/messages`, headers: auth(bob.token), payload: { message: "hi" } });
      assert.equal(denied.statusCode, 403);
      await worker.drain();
      await worker.drain();

      const count = await t.app.inject({ method: "GET", url: "/api/v1/me/notifications/unread-count", headers: auth(ann.token) });
      assert.deepEqual(count.json(), { unread: 3 });
      const list = (await inbox(ann.token)).json();
      assert.deepEqual(list.items.map((n: { kind: string }) => n.kind), ["staff", "quote", "reply"]);
      const reply = list.items[2];
      assert.equal(reply.actorName, bob.name);
      assert.equal(reply.excerpt, "Source?");
      assert.match(reply.url, /^https:\/\/news\.example\/.*#comment-/);
      assert.equal(list.items[0].message, "Thanks for the correction.");
      assert.equal((await inbox(bob.token)).json().items.length, 0, "nobody hears about their own comments");

      const page = (await inbox(ann.token, "?limit=2")).json();
      assert.equal(page.items.length, 2);
      const rest = (await inbox(ann.token, `?limit=2&cursor=${page.nextCursor}`)).json();
      assert.deepEqual(rest.items.map((n: { kind: string }) => n.kind), ["reply"]);
      assert.equal(rest.nextCursor, null);

      const read = await t.app.inject({ method: "POST", url: "/api/v1/me/notifications/read", headers: auth(ann.token), payload: { ids: [reply.id] } });
      assert.deepEqual(read.json(), { unread: 2 });
      assert.equal((await inbox(ann.token, "?unread=true")).json().items.length, 2);
      const all = await t.app.inject({ method: "POST", url: "/api/v1/me/notifications/read", headers: auth(ann.token), payload: { all: true } });
      assert.deepEqual(all.json(), { unread: 0 });
      const nothing = await t.app.inject({ method: "POST", url: "/api/v1/me/notifications/read", headers: auth(ann.token), payload: {} });
      assert.equal(nothing.statusCode, 400);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me/notifications" })).statusCode, 401);
    });

    it("tells a reader who follows a story about its new top-level comments, not replies; a held comment only once published", async () => {
      const storyId = await resolveStory(t.app);
      const follower = await account(t.app, "Follower");
      const writer = await account(t.app, "Writer");
      const moderator = await account(t.app, "Mod", "moderator");
      const follow = await t.app.inject({ method: "POST", url: `/api/v1/stories/${storyId}/follow`, headers: auth(follower.token), payload: { mode: "inapp" } });
      assert.deepEqual(follow.json(), { following: true, mode: "inapp" });
      assert.deepEqual((await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/follow`, headers: auth(follower.token) })).json(), { following: true, mode: "inapp" });
      const top = await post(t.app, writer.token, storyId, "A new angle.");
      await post(t.app, writer.token, storyId, "A reply under it.", top.id);
      await t.app.inject({ method: "PATCH", url: `/api/v1/stories/${storyId}`, headers: auth(moderator.token), payload: { premod: true } });
      const held = await post(t.app, writer.token, storyId, "Held for review.");
      await worker.drain();
      let items = (await inbox(follower.token)).json().items;
      assert.deepEqual(items.map((n: { kind: string; commentId: string }) => [n.kind, n.commentId]), [["story.comment", top.id]]);
      clock.advance(1000);
      await t.app.inject({ method: "POST", url: `/api/v1/moderation/comments/${held.id}/decision`, headers: auth(moderator.token), payload: { action: "approve" } });
      await worker.drain();
      items = (await inbox(follower.token)).json().items;
      assert.equal(items[0].commentId, held.id);
      assert.equal((await inbox(writer.token)).json().items[0].kind, "comment.published", "the author hears the outcome");

      const unfollow = await t.app.inject({ method: "DELETE", url: `/api/v1/stories/${storyId}/follow`, headers: auth(follower.token) });
      assert.deepEqual(unfollow.json(), { following: false, mode: null });
      await t.app.inject({ method: "PATCH", url: `/api/v1/stories/${storyId}`, headers: auth(moderator.token), payload: { premod: false } });
      await post(t.app, writer.token, storyId, "After the unfollow.");
      await worker.drain();
      assert.equal((await inbox(follower.token)).json().items.length, 2);
      const missing = await t.app.inject({ method: "POST", url: "/api/v1/stories/nosuchstory/follow", headers: auth(follower.token), payload: { mode: "digest" } });
      assert.equal(missing.statusCode, 404);
    });

    it("creates each notification once even when the fan-out runs twice", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await account(t.app, "Ann");
      const bob = await account(t.app, "Bob");
      const top = await post(t.app, ann.token, storyId, "Once.");
      await post(t.app, bob.token, storyId, "Reply.", top.id);
      await worker.drain();
      const events = await t.store.db.selectFrom("outbox_jobs").selectAll().where("kind", "=", "event").execute();
      for (const job of events) await HANDLERS.event(t.app.deps, job, "again");
      assert.equal((await inbox(ann.token)).json().items.length, 1);
    });
  });
}
