import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser } from "../../src/accounts/service.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { DIALECTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../helpers.js";
import { countMismatches } from "../durability/harness.js";

/** Abuse limits with the real default settings (not the relaxed ones other tests use). */
for (const { dialect, skip } of DIALECTS) {
  describe(`abuse limits on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let storyId: string;
    before(async () => {
      t = await testApp(dialect, { moderation: {} });
      storyId = await resolveStory(t.app);
    });
    after(() => t.close());

    const react = (token: string, commentId: string, kind = "like") =>
      t.app.inject({ method: "POST", url: `/api/v1/comments/${commentId}/reactions`, headers: auth(token), payload: { kind } });
    const reactionsOf = async (commentId: string) =>
      (await t.app.inject({ method: "GET", url: `/api/v1/comments/${commentId}` })).json<{ comment: { reactions: Record<string, number> } }>().comment.reactions;

    it("counts a new account's reactions only after its first published comment", async () => {
      const ann = await signup(t.app, "Ann Author");
      const target = await post(t.app, ann.token, storyId, "The council's ferry timetable finally suits the early shift.");
      const puppet = await signup(t.app, "Fresh Puppet");
      const first = await react(puppet.token, target.id);
      assert.equal(first.statusCode, 201, first.body);
      assert.deepEqual(first.json().reactions, {}, "stored, not counted");
      assert.deepEqual(first.json().viewerReactions, ["like"], "the reader still sees their own reaction");
      assert.deepEqual(await reactionsOf(target.id), {});
      assert.deepEqual(await countMismatches(t.store), []);
      // Taking back a reaction that never counted leaves the totals alone.
      await t.app.inject({ method: "DELETE", url: `/api/v1/comments/${target.id}/reactions/like`, headers: auth(puppet.token) });
      assert.equal((await react(puppet.token, target.id, "insightful")).statusCode, 201);
      assert.deepEqual(await countMismatches(t.store), []);

      await post(t.app, puppet.token, storyId, "I took the new ferry this morning and it left right on time.");
      assert.deepEqual(await reactionsOf(target.id), { insightful: 1 }, "counted once the puppet's comment is published");
      const later = await react(puppet.token, target.id);
      assert.deepEqual(later.json().reactions, { insightful: 1, like: 1 }, "counted at once from then on");
      assert.deepEqual(await countMismatches(t.store), []);
    });

    it("counts waiting reactions when a moderator approves the account's first comment", async () => {
      const ann = await signup(t.app, "Ann Again");
      const target = await post(t.app, ann.token, storyId, "Bus lanes on the bridge would cut the commute in half.");
      const held = await signup(t.app, "Held Newcomer");
      await changeModerationSettings(t.app.deps, DEFAULT_SITE_ID, { premod: { site: true } });
      try {
        assert.equal((await react(held.token, target.id)).statusCode, 201);
        const pending = await post(t.app, held.token, storyId, "The bridge lanes would help the night buses too.");
        assert.equal(pending.status, "pending");
        assert.deepEqual(await reactionsOf(target.id), {}, "a held comment does not release reactions");
        await createUser(t.app.deps, { email: `mod-${dialect}@example.com`, password: "correct horse battery", displayName: "Mo Derator", role: "moderator" });
        const login = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: `mod-${dialect}@example.com`, password: "correct horse battery" } });
        const decision = await t.app.inject({
          method: "POST",
          url: `/api/v1/moderation/comments/${pending.id}/decision`,
          headers: auth(login.json().token),
          payload: { action: "approve" },
        });
        assert.equal(decision.statusCode, 200, decision.body);
        assert.deepEqual(await reactionsOf(target.id), { like: 1 });
        assert.deepEqual(await countMismatches(t.store), []);
      } finally {
        await changeModerationSettings(t.app.deps, DEFAULT_SITE_ID, { premod: { site: false } });
      }
    });

    it("keeps one reaction per account, kind and comment under a race", async () => {
      const ann = await signup(t.app, "Raced Author");
      const target = await post(t.app, ann.token, storyId, "Twenty clicks at once should still be one like.");
      const bob = await signup(t.app, "Quick Clicker");
      await post(t.app, bob.token, storyId, "A first comment, so my reactions count.");
      const answers = await Promise.all(Array.from({ length: 20 }, () => react(bob.token, target.id)));
      assert.ok(answers.every((r) => r.statusCode < 300), answers.map((r) => r.statusCode).join(","));
      const rows = await t.store.db.selectFrom("reactions").selectAll().where("comment_id", "=", target.id).execute();
      assert.equal(rows.length, 1);
      assert.deepEqual(await reactionsOf(target.id), { like: 1 });
    });

    it("rate-limits reactions and reports per account", async () => {
      await changeModerationSettings(t.app.deps, DEFAULT_SITE_ID, { rateLimits: { reactionsPerHour: 3, reportsPerHour: 2 } });
      const authors = await Promise.all([0, 1, 2, 3].map((i) => signup(t.app, `Limited Author ${i}`)));
      const targets = [];
      for (const [i, a] of authors.entries()) targets.push(await post(t.app, a.token, storyId, `Comment number ${i} about the harbour dredging plan.`));
      const eve = await signup(t.app, "Eager Eve");
      const reacted = [];
      for (const c of targets) reacted.push(await react(eve.token, c.id));
      assert.deepEqual(reacted.map((r) => r.statusCode), [201, 201, 201, 429]);
      assert.equal(reacted[3].json().error.code, "RATE_LIMITED");
      assert.ok(Number(reacted[3].headers["retry-after"]) > 0);
      const reported = [];
      for (const c of targets.slice(0, 3)) {
        reported.push(await t.app.inject({ method: "POST", url: `/api/v1/comments/${c.id}/reports`, headers: auth(eve.token), payload: { reason: "spam" } }));
      }
      assert.deepEqual(reported.map((r) => r.statusCode < 300 ? "ok" : r.statusCode), ["ok", "ok", 429]);
      const again = await t.app.inject({ method: "POST", url: `/api/v1/comments/${targets[0].id}/reports`, headers: auth(authors[1].token), payload: { reason: "spam" } });
      const twice = await t.app.inject({ method: "POST", url: `/api/v1/comments/${targets[0].id}/reports`, headers: auth(authors[1].token), payload: { reason: "spam" } });
      assert.ok(again.statusCode < 300);
      assert.equal(twice.statusCode, 409, "one report per account per comment");
    });

    it("answers sign-in, sign-up and password reset the same for known and unknown addresses", async () => {
      const known = `known-${dialect}@example.com`;
      await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email: known, password: "correct horse battery", displayName: "Known Person" } });
      const login = (email: string) => t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: "wrong horse battery" } });
      const [a, b] = [await login(known), await login(`nobody-${dialect}@example.com`)];
      assert.equal(a.statusCode, b.statusCode);
      assert.deepEqual(a.json(), b.json());
      const reset = (email: string) => t.app.inject({ method: "POST", url: "/api/v1/auth/reset", payload: { email } });
      const [c, d] = [await reset(known), await reset(`nobody-${dialect}@example.com`)];
      assert.equal(c.statusCode, d.statusCode);
      assert.equal(c.body, d.body);
      const signupAs = (email: string) =>
        t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password: "another horse battery", displayName: "Someone Else" } });
      const [e, f] = [await signupAs(known), await signupAs(`fresh-${dialect}@example.com`)];
      assert.equal(e.statusCode, f.statusCode, "a taken address gets the same status as a fresh one");
      assert.deepEqual(Object.keys(e.json()).sort(), Object.keys(f.json()).sort());
    });
  });
}
