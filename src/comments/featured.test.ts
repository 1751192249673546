import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, testApp } from "../../test/helpers.js";
import { account } from "../../test/notifications.js";
import { HANDLERS } from "../notifications/handlers.js";
import { OutboxWorker } from "../notifications/worker.js";

type Person = Awaited<ReturnType<typeof account>>;

for (const { dialect, skip } of DIALECTS) {
  describe(`editor's picks on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let worker: OutboxWorker;
    const clock = manualClock();
    let storyId: string;
    let ann: Person;
    let bob: Person;
    let editor: Person;
    let moderator: Person;
    before(async () => {
      t = await testApp(dialect, { clock, env: { PARLEY_WORKER: "false" } });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
      storyId = await resolveStory(t.app);
      ann = await account(t.app, "Ann");
      bob = await account(t.app, "Bob");
      editor = await account(t.app, "Editor", "staff");
      moderator = await account(t.app, "Mod", "moderator");
    });
    after(async () => {
      await worker.stop();
      await t.close();
    });

    const feature = (token: string, id: string, method: "POST" | "DELETE" = "POST") =>
      t.app.inject({ method, url: `/api/v1/comments/${id}/feature`, headers: auth(token) });
    const picks = async () => {
      const res = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/featured` });
      assert.equal(res.statusCode, 200);
      return (res.json().items as { id: string; featured: boolean }[]).map((c) => c.id);
    };
    const auditOf = (id: string) =>
      t.store.db
        .selectFrom("moderation_actions")
        .selectAll()
        .where("target_id", "=", id)
        .orderBy("created_at")
        .execute();

    it("staff feature a comment: it is marked, listed, audited, announced, and its author is told", async () => {
      const comment = await post(t.app, ann.token, storyId, "The convoy video is from 2014; the archive has it.");
      clock.advance(1000);
      const res = await feature(editor.token, comment.id);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().comment.featured, true);
      assert.deepEqual(await picks(), [comment.id]);

      const thread = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments` });
      assert.equal(
        thread.json().items.find((c: { id: string }) => c.id === comment.id).featured,
        true,
        "the cached page was invalidated",
      );

      const entries = await auditOf(comment.id);
      assert.deepEqual(
        entries.map((e) => [e.action, e.actor_id]),
        [["comment.feature", editor.id]],
      );
      const log = await t.app.inject({
        method: "GET",
        url: `/api/v1/moderation/log?targetId=${comment.id}`,
        headers: auth(moderator.token),
      });
      assert.match(
        log.json().items[0].summary,
        new RegExp(`^Editor .* featured Ann .*’s comment on .* as an editor’s pick\\.$`),
      );

      const events = await t.store.db
        .selectFrom("story_events")
        .selectAll()
        .where("comment_id", "=", comment.id)
        .where("type", "=", "comment.updated")
        .execute();
      assert.equal(events.length, 1);
      assert.equal(JSON.parse(events[0].payload).comment.featured, true);

      await worker.drain();
      await worker.drain();
      const inbox = await t.app.inject({ method: "GET", url: "/api/v1/me/notifications", headers: auth(ann.token) });
      const told = inbox.json().items.filter((n: { kind: string }) => n.kind === "featured");
      assert.equal(told.length, 1);
      assert.equal(told[0].commentId, comment.id);
    });

    it("a second feature changes nothing: no second audit entry, event or notification", async () => {
      const comment = await post(t.app, bob.token, storyId, "Thanks for the archive link, that settles it.");
      clock.advance(1000);
      assert.equal((await feature(moderator.token, comment.id)).statusCode, 200);
      clock.advance(1000);
      const again = await feature(editor.token, comment.id);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().comment.featured, true);
      assert.equal((await auditOf(comment.id)).length, 1);
      const featuredBy = await t.store.db
        .selectFrom("comments")
        .select("featured_by")
        .where("id", "=", comment.id)
        .executeTakeFirstOrThrow();
      assert.equal(featuredBy.featured_by, moderator.id, "the first editor keeps the pick");
      await worker.drain();
      await worker.drain();
      const inbox = await t.app.inject({ method: "GET", url: "/api/v1/me/notifications", headers: auth(bob.token) });
      assert.equal(inbox.json().items.filter((n: { kind: string }) => n.kind === "featured").length, 1);
    });

    it("lists picks newest feature first, and the featured sort puts them first and pages through the rest", async () => {
      const fresh = await resolveStory(t.app);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        clock.advance(1000);
        ids.push((await post(t.app, i % 2 ? ann.token : bob.token, fresh, `Comment ${i} on the order of picks.`)).id);
      }
      // The oldest comment is picked last: picks go by when they were picked, not written.
      for (const id of [ids[3], ids[5], ids[0]]) {
        clock.advance(1000);
        assert.equal((await feature(editor.token, id)).statusCode, 200);
      }
      const list = await t.app.inject({ method: "GET", url: `/api/v1/stories/${fresh}/featured` });
      assert.deepEqual(
        list.json().items.map((c: { id: string }) => c.id),
        [ids[0], ids[5], ids[3]],
      );

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?sort=featured&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
        const res = await t.app.inject({ method: "GET", url: `/api/v1/stories/${fresh}/comments${query}` });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
        seen.push(...body.items.map((c) => c.id));
        cursor = body.nextCursor;
      } while (cursor && seen.length < 20);
      assert.deepEqual(seen, [ids[0], ids[5], ids[3], ids[6], ids[4], ids[2], ids[1]]);

      const wrong = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/${fresh}/comments?sort=newest&cursor=${encodeURIComponent(Buffer.from(JSON.stringify(["featured", 1, 1, "x"])).toString("base64url"))}`,
      });
      assert.equal(wrong.statusCode, 400, "a featured cursor is refused by another order");
    });

    it("unfeaturing undoes it, is audited, and is idempotent too", async () => {
      const comment = await post(t.app, ann.token, storyId, "A pick to take back.");
      assert.equal((await feature(editor.token, comment.id)).statusCode, 200);
      clock.advance(1000);
      const res = await feature(editor.token, comment.id, "DELETE");
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().comment.featured, false);
      assert.ok(!(await picks()).includes(comment.id));
      assert.equal((await feature(editor.token, comment.id, "DELETE")).json().comment.featured, false);
      assert.deepEqual(
        (await auditOf(comment.id)).map((e) => e.action),
        ["comment.feature", "comment.unfeature"],
      );
      const log = await t.app.inject({
        method: "GET",
        url: `/api/v1/moderation/log?targetId=${comment.id}`,
        headers: auth(moderator.token),
      });
      assert.match(log.json().items[0].summary, /stopped featuring Ann .*’s comment/);
    });

    it("refuses readers, and comments readers cannot see", async () => {
      const comment = await post(t.app, ann.token, storyId, "Readers cannot pick this.");
      const denied = await feature(bob.token, comment.id);
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().error.code, "FORBIDDEN");
      assert.equal((await feature(ann.token, comment.id)).statusCode, 403, "nor can its author");
      assert.equal(
        (await t.app.inject({ method: "POST", url: `/api/v1/comments/${comment.id}/feature` })).statusCode,
        401,
      );

      await t.store.db.updateTable("comments").set({ status: "pending" }).where("id", "=", comment.id).execute();
      const held = await feature(editor.token, comment.id);
      assert.equal(held.statusCode, 404, "staff who cannot read a held comment do not learn it exists");
      const moderated = await feature(moderator.token, comment.id);
      assert.equal(moderated.statusCode, 409);
      assert.equal(moderated.json().error.code, "COMMENT_NOT_PUBLISHED");
      assert.equal((await auditOf(comment.id)).length, 0, "a refusal changes nothing");
      assert.equal((await feature(moderator.token, "no-such-comment")).statusCode, 404);

      // A pick that is later rejected leaves the Picks strip.
      const picked = await post(t.app, bob.token, storyId, "Picked, then rejected.");
      assert.equal((await feature(editor.token, picked.id)).statusCode, 200);
      await t.app.inject({
        method: "POST",
        url: `/api/v1/moderation/comments/${picked.id}/decision`,
        headers: auth(moderator.token),
        payload: { action: "reject" },
      });
      assert.ok(!(await picks()).includes(picked.id));
    });
  });
}
