import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser, openSession } from "../accounts/service.js";
import * as accountStore from "../accounts/store.js";
import { DIALECTS, RELAXED_FOR_TESTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { changeModerationSettings } from "./settings.js";

const HELD = { ...RELAXED_FOR_TESTS, premod: { site: true, newAccountsUntilPublished: 0 } };

interface History {
  author: { counts: { published: number; pending: number; rejected: number }; actions: number };
  comments: { items: { comment: { id: string } }[] };
  actions: { action: string; siteId: string | null }[];
  notes: { body: string; siteId: string | null }[];
}

/** A user's history as each moderator sees it: what happened on the sites they moderate. */
for (const { dialect, skip } of DIALECTS) {
  describe(`a user's history by site on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let mods: Record<"a" | "ab" | "all", string>;
    let reader: { token: string; id: string };
    let onA: string;
    let onB: string;
    const call = (method: "GET" | "POST", url: string, token: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth(token), ...(payload ? { payload } : {}) });
    const history = async (token: string, query = "") => {
      const res = await call("GET", `/api/v1/moderation/users/${reader.id}/history${query}`, token);
      assert.equal(res.statusCode, 200, res.body);
      return res.json<History>();
    };

    const moderator = async (name: string, sites: string[], role: "commenter" | "moderator" = "commenter") => {
      const user = await createUser(t.app.deps, { email: `${name}-${dialect}@example.com`, password: "a history moderator pw", displayName: `History ${name}`, role });
      for (const siteId of sites)
        await accountStore.setSiteRole(t.store.db, { user_id: user.id, site_id: siteId, role: "moderator", created_at: 0 });
      return (await openSession(t.app.deps, user, "password")).token;
    };

    before(async () => {
      t = await testApp(dialect, { moderation: HELD });
      await t.store.db
        .insertInto("sites")
        .values({ id: "b-site", name: "B", origins: JSON.stringify(["https://b-site.example"]), settings: "{}", created_at: 1 })
        .execute();
      await changeModerationSettings(t.app.deps, "b-site", HELD);
      mods = { a: await moderator("a", ["default"]), ab: await moderator("ab", ["default", "b-site"]), all: await moderator("all", [], "moderator") };
      reader = await signup(t.app, "History reader");
      const storyB = (await t.app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent("https://b-site.example/b")}` })).json().id;
      onA = (await post(t.app, reader.token, await resolveStory(t.app), "Held on the default site")).id;
      onB = (await post(t.app, reader.token, storyB, "Held on site B")).id;

      const act = async (token: string, payload: object) =>
        assert.equal((await call("POST", `/api/v1/moderation/users/${reader.id}/actions`, token, payload)).statusCode, 200);
      const note = async (token: string, payload: object) =>
        assert.equal((await call("POST", `/api/v1/moderation/users/${reader.id}/notes`, token, payload)).statusCode, 201);
      await act(mods.a, { action: "ban", message: "Banned on the default site" });
      await act(mods.all, { action: "ban", siteId: "b-site", message: "Banned on B" });
      await act(mods.all, { action: "premod" });
      await note(mods.a, { body: "Note for the default site" });
      await note(mods.ab, { body: "Note for site B", siteId: "b-site" });
      await note(mods.all, { body: "Note for every site" });
    });
    after(() => t.close());

    it("shows a moderator of one site the user's comments, actions and notes there only", async () => {
      const h = await history(mods.a);
      assert.deepEqual(h.comments.items.map((i) => i.comment.id), [onA]);
      assert.deepEqual(h.notes.map((n) => [n.body, n.siteId]), [["Note for the default site", "default"]]);
      assert.ok(h.actions.length > 0);
      assert.ok(h.actions.every((a) => a.siteId === "default"), JSON.stringify(h.actions));
      assert.ok(h.actions.some((a) => a.action === "user.ban"));
      assert.ok(!h.actions.some((a) => a.action === "user.premod"), "the installation-wide action is not theirs to read");
      assert.equal(h.author.counts.pending, 1, "counts cover the default site only");
      assert.equal(h.author.actions, h.actions.filter((a) => a.action.startsWith("user.")).length);
    });

    it("shows a moderator of every site everything, and each moderator one of their sites when asked", async () => {
      const all = await history(mods.all);
      assert.deepEqual(all.comments.items.map((i) => i.comment.id).sort(), [onA, onB].sort());
      assert.deepEqual(all.notes.map((n) => n.body).sort(), ["Note for every site", "Note for site B", "Note for the default site"]);
      assert.ok(all.actions.some((a) => a.action === "user.premod" && a.siteId === null));
      assert.equal(all.author.counts.pending, 2);

      const both = await history(mods.ab);
      assert.deepEqual(both.notes.map((n) => n.body).sort(), ["Note for site B", "Note for the default site"]);
      const onlyB = await history(mods.ab, "?siteId=b-site");
      assert.deepEqual(onlyB.comments.items.map((i) => i.comment.id), [onB]);
      assert.deepEqual(onlyB.notes.map((n) => n.body), ["Note for site B"]);
      assert.ok(onlyB.actions.every((a) => a.siteId === "b-site"));
      assert.equal((await call("GET", `/api/v1/moderation/users/${reader.id}/history?siteId=b-site`, mods.a)).statusCode, 403);
    });

    it("keeps the queue card's author summary to the moderator's sites", async () => {
      const card = (await call("GET", `/api/v1/moderation/queues/pending?authorId=${reader.id}`, mods.a)).json().items[0];
      assert.equal(card.comment.id, onA);
      assert.equal(card.author.counts.pending, 1);
      const everywhere = (await call("GET", `/api/v1/moderation/queues/pending?authorId=${reader.id}`, mods.all)).json().items[0];
      assert.equal(everywhere.author.counts.pending, 2);
    });

    it("writes notes for a site the moderator moderates only, and asks a moderator of several sites which", async () => {
      const url = `/api/v1/moderation/users/${reader.id}/notes`;
      assert.equal((await call("POST", url, mods.a, { body: "Sneaky", siteId: "b-site" })).statusCode, 403);
      const several = await call("POST", url, mods.ab, { body: "Which site?" });
      assert.equal(several.statusCode, 400);
      assert.equal(several.json().error.code, "VALIDATION_FAILED");
      const bodies = await t.store.db.selectFrom("user_notes").select("body").where("user_id", "=", reader.id).execute();
      assert.equal(bodies.length, 3, "nothing was written");
    });
  });
}
