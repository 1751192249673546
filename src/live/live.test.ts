import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AddressInfo } from "node:net";
import { DIALECTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { type SseFrame, connectSse } from "../../test/sse.js";

const events = (frames: SseFrame[], type: string) =>
  frames.filter((f) => f.event === type).map((f) => JSON.parse(f.data ?? "{}"));

for (const { dialect, skip } of DIALECTS) {
  describe(`live threads on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let base: string;
    before(async () => {
      t = await testApp(dialect);
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    it("streams new comments, edits, reactions, removals and story changes to connected readers", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const bob = await signup(t.app, "Bob");
      const mod = await signup(t.app, "Mod");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", mod.id).execute();
      const reader = await connectSse(`${base}/api/v1/stories/${storyId}/events`);
      assert.equal(reader.status, 200);
      await reader.until((f) => f.length > 0);
      const c = await post(t.app, ann.token, storyId, "Live from the council chamber.");
      await reader.until((f) => events(f, "comment.created").length === 1);
      const created = events(reader.frames, "comment.created")[0];
      assert.equal(created.comment.id, c.id);
      assert.equal(created.comment.bodyHtml, "<p>Live from the council chamber.</p>");
      assert.equal(created.comment.body, undefined, "readers never get the source");
      await t.app.inject({
        method: "PATCH",
        url: `/api/v1/comments/${c.id}`,
        headers: auth(ann.token),
        payload: { body: "Live from the chamber." },
      });
      await t.app.inject({
        method: "POST",
        url: `/api/v1/comments/${c.id}/reactions`,
        headers: auth(bob.token),
        payload: { kind: "like" },
      });
      await t.app.inject({
        method: "PATCH",
        url: `/api/v1/stories/${storyId}`,
        headers: auth(mod.token),
        payload: { status: "closed" },
      });
      await t.app.inject({ method: "DELETE", url: `/api/v1/comments/${c.id}`, headers: auth(ann.token) });
      const frames = await reader.until((f) => events(f, "comment.removed").length === 1);
      assert.deepEqual(
        frames.filter((f) => f.id && f.event !== undefined && f.event.includes(".")).map((f) => f.event),
        ["comment.created", "comment.updated", "reaction.changed", "story.updated", "comment.removed"],
      );
      assert.deepEqual(events(frames, "reaction.changed")[0].reactions, { like: 1 });
      assert.equal(events(frames, "story.updated")[0].story.status, "closed");
      const ids = frames.filter((f) => f.event?.includes(".")).map((f) => Number(f.id));
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        "event ids increase",
      );
      reader.close();
    });

    it("shows a held comment only to its author and moderators, then to everyone once approved", async () => {
      const storyId = await resolveStory(t.app);
      const mod = await signup(t.app, "Mod");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", mod.id).execute();
      await t.app.inject({
        method: "PATCH",
        url: `/api/v1/stories/${storyId}`,
        headers: auth(mod.token),
        payload: { premod: true },
      });
      const ann = await signup(t.app, "Ann");
      const anonymous = await connectSse(`${base}/api/v1/stories/${storyId}/events`);
      const author = await connectSse(`${base}/api/v1/stories/${storyId}/events?token=${ann.token}`);
      const moderator = await connectSse(`${base}/api/v1/stories/${storyId}/events`, auth(mod.token));
      const queue = await connectSse(`${base}/api/v1/moderation/events`, auth(mod.token));
      await Promise.all([anonymous, author, moderator].map((s) => s.until((f) => f.length > 0)));
      await new Promise((r) => setTimeout(r, 50));
      const held = await post(t.app, ann.token, storyId, "Awaiting a moderator.");
      assert.equal(held.status, "pending");
      await author.until((f) => events(f, "comment.created").length === 1);
      await moderator.until((f) => events(f, "comment.created").length === 1);
      assert.equal(events(author.frames, "comment.created")[0].comment.status, "pending");
      await queue.until((f) => events(f, "queue.changed").some((e) => e.commentId === held.id));
      await t.app.inject({
        method: "POST",
        url: `/api/v1/moderation/comments/${held.id}/decision`,
        headers: auth(mod.token),
        payload: { action: "approve" },
      });
      await anonymous.until((f) => events(f, "comment.published").length === 1);
      assert.deepEqual(
        events(anonymous.frames, "comment.created"),
        [],
        "the anonymous reader never saw the held comment",
      );
      const unauthorised = await connectSse(`${base}/api/v1/moderation/events`, auth(ann.token));
      assert.equal(unauthorised.status, 403);
      for (const s of [anonymous, author, moderator, queue, unauthorised]) s.close();
    });

    it("keeps every reader who joins a story at the same moment", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      // The first readers of a story arrive together when it goes live; none may be left out.
      const received: string[][] = Array.from({ length: 20 }, () => []);
      const readers = received.map((got) => ({
        viewerId: null,
        moderator: false,
        deliver: (event: { type: string; commentId: string | null }) => {
          if (event.type === "comment.created") got.push(event.commentId ?? "");
          return true;
        },
        drop: () => undefined,
      }));
      await Promise.all(readers.map((r) => t.app.deps.live.watch(storyId, r, null)));
      const c = await post(t.app, ann.token, storyId, "Everyone should see this.");
      const deadline = Date.now() + 5000;
      while (received.some((got) => got.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(received, received.map(() => [c.id]));
      for (const r of readers) t.app.deps.live.unwatch(storyId, r);
    });

    it("resumes from Last-Event-ID with nothing missed and nothing twice", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const first = await connectSse(`${base}/api/v1/stories/${storyId}/events`);
      await first.until((f) => f.length > 0);
      await post(t.app, ann.token, storyId, "One.");
      await first.until((f) => events(f, "comment.created").length === 1);
      const lastId = first.frames.filter((f) => f.event === "comment.created").at(-1)?.id ?? "";
      first.close();
      const missed = [];
      for (const text of ["Two.", "Three.", "Four."]) missed.push((await post(t.app, ann.token, storyId, text)).id);
      const resumed = await connectSse(`${base}/api/v1/stories/${storyId}/events`, { "last-event-id": lastId });
      const during = post(t.app, ann.token, storyId, "Five.");
      const fifth = (await during).id;
      await resumed.until((f) => events(f, "comment.created").length === 4);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(
        events(resumed.frames, "comment.created").map((e) => e.comment.id),
        [...missed, fifth],
      );
      resumed.close();
      const bad = await fetch(`${base}/api/v1/stories/${storyId}/events`, { headers: { "last-event-id": "abc" } });
      assert.equal(bad.status, 400);
      const missing = await fetch(`${base}/api/v1/stories/nope/events`);
      assert.equal(missing.status, 404);
    });
  });
}
