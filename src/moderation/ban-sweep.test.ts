import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, signup, testApp } from "../../test/helpers.js";

const HOUR = 3_600_000;

for (const { dialect, skip } of DIALECTS) {
  describe(`a ban or suspension that also rejects the reader's comments, on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let mod: { token: string; id: string };
    const act = (userId: string, payload: object) =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/moderation/users/${userId}/actions`,
        headers: auth(mod.token),
        payload,
      });
    const count = async (storyId: string) =>
      (await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` })).json().commentCount as number;
    const thread = async (storyId: string) =>
      (await t.app.inject({ method: "GET", url: `/embed/threads?story=${storyId}&fragment=true` })).body;
    const statuses = async (ids: string[]) =>
      (
        await t.store.db
          .selectFrom("comments")
          .select(["id", "status"])
          .where("id", "in", ids)
          .orderBy("created_at")
          .execute()
      ).map((r) => r.status);

    before(async () => {
      t = await testApp(dialect, { clock });
      mod = await signup(t.app, "Mona Moderator");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", mod.id).execute();
    });
    after(() => t.close());

    it("bans and rejects every published and held comment in one call, each as a decision with counts, cache and log kept right", async () => {
      const [bridge, library] = [await resolveStory(t.app), await resolveStory(t.app)];
      const troll = await signup(t.app, "Troy Troll");
      const ann = await signup(t.app, "Ann Neighbour");
      const ids = [
        (await post(t.app, troll.token, bridge, "First rant about the bridge.")).id,
        (await post(t.app, troll.token, library, "Second rant, about the library.")).id,
      ];
      const kept = await post(t.app, ann.token, bridge, "A calm note on the bridge.");
      const reply = await post(t.app, troll.token, bridge, "A rude reply to Ann.", kept.id);
      ids.push(reply.id);
      await t.store.db.updateTable("users").set({ premod: 1 }).where("id", "=", troll.id).execute();
      const held = await post(t.app, troll.token, library, "A held third rant.");
      assert.equal(held.status, "pending");
      ids.push(held.id);
      assert.match(await thread(bridge), /First rant about the bridge/, "the thread is cached with the comment in it");
      assert.deepEqual([await count(bridge), await count(library)], [3, 1]);

      const res = await act(troll.id, {
        action: "ban",
        message: "Repeated abuse.",
        rejectComments: { reason: "abusive" },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, "banned");
      assert.equal(res.json().rejectedComments, 4);
      assert.deepEqual(await statuses(ids), ["rejected", "rejected", "rejected", "rejected"]);
      assert.deepEqual([await count(bridge), await count(library)], [1, 0]);
      const parent = await t.store.db
        .selectFrom("comments")
        .select("reply_count")
        .where("id", "=", kept.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(parent.reply_count), 0, "the reply left its parent's count too");
      const html = await thread(bridge);
      assert.doesNotMatch(html, /First rant|rude reply/, "the cached page was dropped");
      assert.match(html, /A calm note on the bridge/);

      const log = (
        await t.app.inject({ method: "GET", url: "/api/v1/moderation/log?limit=10", headers: auth(mod.token) })
      ).json().items as {
        action: string;
        targetId: string;
        reason: { code: string | null } | null;
      }[];
      const decisions = log.filter((a) => a.action === "comment.reject");
      assert.deepEqual(decisions.map((a) => a.targetId).sort(), [...ids].sort());
      assert.ok(decisions.every((a) => a.reason?.code === "abusive"));
      assert.ok(log.some((a) => a.action === "user.ban"));
      const outbox = await t.store.db.selectFrom("outbox_jobs").select("payload").execute();
      const rejectedEvents = outbox.filter((j) => String(j.payload).includes('"comment.rejected"'));
      assert.equal(rejectedEvents.length, 4, "one webhook event per rejected comment");
    });

    it("suspends and rejects the comments on one story only", async () => {
      const [here, elsewhere] = [await resolveStory(t.app), await resolveStory(t.app)];
      const pat = await signup(t.app, "Pat Pest");
      const onHere = [
        (await post(t.app, pat.token, here, "Off-topic one.")).id,
        (await post(t.app, pat.token, here, "Off-topic two.")).id,
      ];
      const onElsewhere = (await post(t.app, pat.token, elsewhere, "A fair point elsewhere.")).id;
      const until = new Date(clock.now() + 24 * HOUR).toISOString();
      const res = await act(pat.id, {
        action: "suspend",
        until,
        rejectComments: { storyId: here, reason: "off-topic" },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, "suspended");
      assert.equal(res.json().rejectedComments, 2);
      assert.deepEqual(await statuses(onHere), ["rejected", "rejected"]);
      assert.deepEqual(await statuses([onElsewhere]), ["published"]);
      assert.equal(await count(here), 0);
      assert.equal(await count(elsewhere), 1);
    });

    it("refuses the option with an action that cannot carry it, or with fields it does not know, and changes nothing", async () => {
      const story = await resolveStory(t.app);
      const sam = await signup(t.app, "Sam Sample");
      const id = (await post(t.app, sam.token, story, "Still here.")).id;
      const warn = await act(sam.id, { action: "warn", message: "Careful.", rejectComments: {} });
      assert.equal(warn.statusCode, 400);
      const unknown = await act(sam.id, { action: "ban", rejectComments: { everything: true } });
      assert.equal(unknown.statusCode, 400);
      const wrongReason = await act(sam.id, { action: "ban", rejectComments: { reason: "because" } });
      assert.equal(wrongReason.statusCode, 400);
      assert.deepEqual(await statuses([id]), ["published"]);
      const user = await t.store.db
        .selectFrom("users")
        .select(["status", "warning"])
        .where("id", "=", sam.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(user, { status: "active", warning: null });
    });
  });
}
