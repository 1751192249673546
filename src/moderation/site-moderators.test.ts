import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser, openSession } from "../accounts/service.js";
import * as accountStore from "../accounts/store.js";
import { connectSse } from "../../test/sse.js";
import { DIALECTS, RELAXED_FOR_TESTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { changeModerationSettings } from "./settings.js";

const HELD = { ...RELAXED_FOR_TESTS, premod: { site: true, newAccountsUntilPublished: 0 } };
const PASSWORD = "a site moderator password";

/** Moderators of single sites work the desk: their sites' queues, lists and users only. */
for (const { dialect, skip } of DIALECTS) {
  describe(`the desk for moderators of single sites on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let base: string;
    let author: { token: string; id: string };
    let mods: Record<"a" | "ab" | "all", { token: string; id: string; email: string }>;
    let storyA: string;
    let storyB: string;
    let heldA: string;
    let heldB: string;
    const get = (url: string, token: string) => t.app.inject({ method: "GET", url, headers: auth(token) });
    const send = (method: "POST" | "PATCH", url: string, token: string, payload: object) =>
      t.app.inject({ method, url, headers: auth(token), payload });

    const moderator = async (name: string, sites: string[], role: "commenter" | "moderator" = "commenter") => {
      const email = `${name}-${dialect}@example.com`;
      const user = await createUser(t.app.deps, { email, password: PASSWORD, displayName: `Desk ${name}`, role });
      for (const siteId of sites)
        await accountStore.setSiteRole(t.store.db, { user_id: user.id, site_id: siteId, role: "moderator", created_at: 0 });
      return { id: user.id, email, token: (await openSession(t.app.deps, user, "password")).token };
    };

    before(async () => {
      t = await testApp(dialect, { moderation: HELD });
      base = await t.app.listen({ host: "127.0.0.1", port: 0 });
      for (const id of ["b-site", "c-site"]) {
        await t.store.db
          .insertInto("sites")
          .values({ id, name: id.toUpperCase(), origins: JSON.stringify([`https://${id}.example`]), settings: "{}", created_at: 1 })
          .execute();
        await changeModerationSettings(t.app.deps, id, HELD);
      }
      mods = {
        a: await moderator("mod-a", ["default"]),
        ab: await moderator("mod-ab", ["default", "b-site"]),
        all: await moderator("mod-all", [], "moderator"),
      };
      author = await signup(t.app, "Scoped author");
      storyA = await resolveStory(t.app);
      const resolved = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/resolve?url=${encodeURIComponent("https://b-site.example/a-story-on-b")}`,
      });
      storyB = resolved.json().id;
      heldA = (await post(t.app, author.token, storyA, "A held comment on the default site")).id;
      heldB = (await post(t.app, author.token, storyB, "A held comment on site B")).id;
    });
    after(() => t.close());

    it("lets a moderator of one site sign in to the desk, which lists that site only", async () => {
      const res = await t.app.inject({ method: "POST", url: "/admin/session", payload: { email: mods.a.email, password: PASSWORD } });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers["set-cookie"]), /HttpOnly/i);
      const { desk } = res.json();
      assert.deepEqual(desk.sites.map((s: { id: string }) => s.id), ["default"]);
      assert.equal(desk.everySite, false);
      assert.equal(desk.manageSites, false);
      const everywhere = (await get("/admin/session", mods.all.token)).json().desk;
      assert.deepEqual(everywhere.sites.map((s: { id: string }) => s.id).sort(), ["b-site", "c-site", "default"]);
      assert.equal(everywhere.everySite, true);
    });

    it("shows their sites' queue, counts, stories and statistics, and refuses another site's", async () => {
      const queue = (await get("/api/v1/moderation/queues/pending", mods.a.token)).json();
      const ids = queue.items.map((i: { comment: { id: string } }) => i.comment.id);
      assert.ok(ids.includes(heldA));
      assert.ok(!ids.includes(heldB), "site B's held comment is not in the default site's queue");
      assert.equal(queue.items[0].comment.body !== undefined, true, "the source, for highlighting, on their own site");
      assert.equal((await get("/api/v1/moderation/queues/pending?siteId=b-site", mods.a.token)).statusCode, 403);

      const counts = (await get("/api/v1/moderation/counts", mods.a.token)).json();
      const countsA = (await get("/api/v1/moderation/counts?siteId=default", mods.all.token)).json();
      const countsAll = (await get("/api/v1/moderation/counts", mods.all.token)).json();
      assert.deepEqual(counts, countsA);
      assert.ok(countsAll.pending > counts.pending, "a moderator of every site counts every site");
      assert.equal((await get("/api/v1/moderation/counts?siteId=b-site", mods.a.token)).statusCode, 403);

      const stories = (await get("/api/v1/moderation/stories", mods.a.token)).json().items;
      assert.ok(stories.some((s: { id: string }) => s.id === storyA));
      assert.ok(stories.every((s: { siteId: string }) => s.siteId === "default"));

      const stats = (await get("/api/v1/moderation/stats", mods.a.token)).json();
      const statsA = (await get("/api/v1/moderation/stats?siteId=default", mods.all.token)).json();
      assert.equal(stats.total, statsA.total);
      assert.ok(!stats.busiestStories.some((s: { id: string }) => s.id === storyB));
      assert.equal((await get("/api/v1/moderation/stats?siteId=b-site", mods.a.token)).statusCode, 403);
    });

    it("covers every site a moderator of several sites moderates, and nothing else", async () => {
      const ids = (await get("/api/v1/moderation/queues/pending", mods.ab.token)).json().items.map((i: { comment: { id: string } }) => i.comment.id);
      assert.ok(ids.includes(heldA) && ids.includes(heldB));
      assert.equal((await get("/api/v1/moderation/queues/pending?siteId=c-site", mods.ab.token)).statusCode, 403);
      const all = (await get("/api/v1/moderation/queues/pending", mods.all.token)).json().items.map((i: { comment: { id: string } }) => i.comment.id);
      assert.ok(all.includes(heldA) && all.includes(heldB));
    });

    it("refuses another site's comments: 403 to decide, 404 to read a held one", async () => {
      const decide = await send("POST", `/api/v1/moderation/comments/${heldB}/decision`, mods.a.token, { action: "approve" });
      assert.equal(decide.statusCode, 403);
      assert.equal((await get(`/api/v1/comments/${heldB}`, mods.a.token)).statusCode, 404);
      assert.equal((await get(`/api/v1/comments/${heldA}`, mods.a.token)).statusCode, 200);
      const row = await t.store.db.selectFrom("comments").select("status").where("id", "=", heldB).executeTakeFirstOrThrow();
      assert.equal(row.status, "pending", "nothing changed");
    });

    it("keeps the audit log to their sites", async () => {
      const story = await resolveStory(t.app);
      const onA = await post(t.app, author.token, story, "Another held comment on the default site");
      const onB = await post(t.app, author.token, storyB, "Another held comment on site B");
      assert.equal((await send("POST", `/api/v1/moderation/comments/${onA.id}/decision`, mods.a.token, { action: "approve" })).statusCode, 200);
      assert.equal((await send("POST", `/api/v1/moderation/comments/${onB.id}/decision`, mods.all.token, { action: "approve" })).statusCode, 200);
      const mine = (await get("/api/v1/moderation/log", mods.a.token)).json().items;
      assert.ok(mine.some((x: { targetId: string }) => x.targetId === onA.id));
      assert.ok(mine.every((x: { siteId: string | null }) => x.siteId === "default"), "no other site's entries, no installation-wide ones");
      const everything = (await get("/api/v1/moderation/log", mods.all.token)).json().items;
      assert.ok(everything.some((x: { targetId: string }) => x.targetId === onB.id));
      assert.equal((await get("/api/v1/moderation/log?siteId=b-site", mods.a.token)).statusCode, 403);
    });

    it("bans from their site and lifts that ban only; changes to the whole account are for moderators of every site", async () => {
      const reader = await signup(t.app, "Banned reader");
      const act = (token: string, payload: object) => send("POST", `/api/v1/moderation/users/${reader.id}/actions`, token, payload);
      const bans = () => t.store.db.selectFrom("site_bans").select("site_id").where("user_id", "=", reader.id).orderBy("site_id").execute();

      const ban = await act(mods.a.token, { action: "ban", message: "Abuse on our site" });
      assert.equal(ban.statusCode, 200, ban.body);
      assert.deepEqual(await bans(), [{ site_id: "default" }]);
      assert.equal(ban.json().status, "active", "the account stays active elsewhere");
      const refused = await t.app.inject({ method: "POST", url: `/api/v1/stories/${storyA}/comments`, headers: auth(reader.token), payload: { body: "Still here?" } });
      assert.equal(refused.json().error.code, "USER_BANNED");
      assert.equal((await t.app.inject({ method: "POST", url: `/api/v1/stories/${storyB}/comments`, headers: auth(reader.token), payload: { body: "Fine on B" } })).statusCode, 201);

      for (const payload of [
        { action: "suspend", until: new Date(Date.now() + 86_400_000).toISOString() },
        { action: "premod" },
        { action: "warn", message: "Mind your words" },
        { action: "ban", siteId: "b-site" },
      ]) {
        const res = await act(mods.a.token, payload);
        assert.equal(res.statusCode, 403, JSON.stringify(payload));
      }
      const several = await act(mods.ab.token, { action: "ban" });
      assert.equal(several.statusCode, 400, "a moderator of several sites names the site");
      assert.deepEqual(several.json().error.details.sites.sort(), ["b-site", "default"]);

      assert.equal((await act(mods.all.token, { action: "ban", siteId: "b-site" })).statusCode, 200);
      assert.equal((await act(mods.a.token, { action: "clear" })).statusCode, 200);
      assert.deepEqual(await bans(), [{ site_id: "b-site" }], "only the default site's ban is lifted");
      const user = await t.store.db.selectFrom("users").select("status").where("id", "=", reader.id).executeTakeFirstOrThrow();
      assert.equal(user.status, "active");
      const logged = await t.store.db.selectFrom("moderation_actions").select(["action", "site_id"]).where("target_id", "=", reader.id).where("actor_id", "=", mods.a.id).orderBy("action").execute();
      assert.deepEqual(logged.map((l) => [l.action, l.site_id]), [["user.ban", "default"], ["user.clear", "default"]]);
    });

    it("tells a moderator's desk of queue changes on their sites only", async () => {
      const events = await connectSse(`${base}/api/v1/moderation/events`, auth(mods.a.token));
      try {
        assert.equal(events.status, 200);
        const onB = await post(t.app, author.token, storyB, "A live held comment on site B");
        const onA = await post(t.app, author.token, storyA, "A live held comment on the default site");
        const frames = await events.until((f) => f.some((x) => x.data?.includes(onA.id)));
        assert.ok(!frames.some((x) => x.data?.includes(onB.id)), "site B's change is not announced to the default site's moderator");
        assert.equal(JSON.parse(frames.find((x) => x.data?.includes(onA.id))?.data ?? "{}").siteId, "default");
      } finally {
        events.close();
      }
    });
  });
}
