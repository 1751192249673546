import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import type { Actor } from "./actor.js";
import { authorize, can, commentSubject, identitySubject, siteSubject, userSubject } from "./policies.js";
import { nameSkeleton } from "./profiles.js";
import { createUser, openSession } from "./service.js";
import * as store from "./store.js";

const user = (role: Actor["user"]["role"], id = "u1") =>
  ({ id, role, email: null, password_hash: null, display_name: "X", status: "active", suspended_until: null, created_at: 0, premod: 0, warning: null }) as Actor["user"];

describe("policies", () => {
  const comment = commentSubject({ site_id: "a", author_id: "author", status: "pending" });
  it("lets a moderator of site a decide there and nowhere else", () => {
    const scoped: Actor = { user: user("commenter"), sessionId: "s", siteRoles: [{ siteId: "a", role: "moderator" }] };
    assert.equal(can(scoped, "decide", comment), true);
    assert.equal(can(scoped, "decide", { ...comment, siteId: "b" }), false);
    assert.equal(can(scoped, "administer", siteSubject("a")), false);
    assert.equal(can(scoped, "act", userSubject({ id: "x", role: "commenter" }, "a")), true);
    assert.equal(can(scoped, "act", userSubject({ id: "x", role: "commenter" })), false, "a site-wide ban needs a global moderator");
  });
  it("hides a held comment from everyone but its author and moderators", () => {
    assert.equal(can(null, "read", comment), false);
    assert.equal(can({ user: user("commenter", "author"), sessionId: "s" }, "read", comment), true);
    assert.equal(can({ user: user("staff"), sessionId: "s" }, "read", comment), false);
    assert.equal(can({ user: user("moderator"), sessionId: "s" }, "read", comment), true);
  });
  it("answers 401 to nobody and 403 to the wrong somebody", () => {
    assert.throws(() => authorize(null, "decide", comment), { status: 401 });
    assert.throws(() => authorize({ user: user("commenter"), sessionId: "s" }, "decide", comment), { status: 403 });
  });
  it("lets a site's admin link its SSO to accounts without roles; OIDC and accounts with roles need an admin of every site", () => {
    const siteAdmin: Actor = { user: user("commenter"), sessionId: "s", siteRoles: [{ siteId: "a", role: "admin" }] };
    const admin: Actor = { user: user("admin"), sessionId: "s" };
    assert.equal(can(siteAdmin, "link", identitySubject("a", false)), true);
    assert.equal(can(siteAdmin, "link", identitySubject("b", false)), false);
    assert.equal(can(siteAdmin, "link", identitySubject("a", true)), false, "a role holder's account could be taken over through the site's SSO");
    assert.equal(can(siteAdmin, "unlink", identitySubject(null, false)), false);
    assert.equal(can({ user: user("moderator"), sessionId: "s" }, "link", identitySubject("a", false)), false);
    for (const subject of [identitySubject("b", true), identitySubject(null, true)]) assert.equal(can(admin, "link", subject), true);
  });
  it("only admins act on moderators", () => {
    const mod: Actor = { user: user("moderator"), sessionId: "s" };
    assert.equal(can(mod, "act", userSubject({ id: "m2", role: "moderator" })), false);
    assert.equal(can({ user: user("admin"), sessionId: "s" }, "act", userSubject({ id: "m2", role: "moderator" })), true);
    assert.equal(can(mod, "act", userSubject({ id: "u1", role: "commenter" })), false, "nobody acts on themselves");
  });
  it("maps look-alike names to one skeleton", () => {
    const admin = nameSkeleton("Admin");
    for (const lookalike of ["ADMIN", "Аdmin", "Adm1n", "A d m i n", "Ad\u200bmin", "Αdmίn"]) assert.equal(nameSkeleton(lookalike), admin, lookalike);
    assert.notEqual(nameSkeleton("Adam"), admin);
  });
});

for (const { dialect, skip } of DIALECTS) {
  describe(`site-scoped moderators and profiles on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
      await t.store.db.insertInto("sites").values({ id: "b-site", name: "B", origins: JSON.stringify(["https://b.example"]), settings: "{}", created_at: 0 }).execute();
    });
    after(() => t.close());

    it("shows a moderator of one site that site's queue only and refuses the other's items", async () => {
      const author = await signup(t.app, "Queue author");
      const storyA = await resolveStory(t.app);
      const mod = await createUser(t.app.deps, { email: "scoped@example.com", password: "scoped moderator pw", displayName: "Scoped Mod", role: "commenter" });
      await store.setSiteRole(t.app.deps.store.db, { user_id: mod.id, site_id: "b-site", role: "moderator", created_at: 0 });
      const token = (await openSession(t.app.deps, mod, "password")).token;
      const held = await post(t.app, author.token, storyA, "A comment on site A");
      await t.store.db.updateTable("comments").set({ status: "pending" }).where("id", "=", held.id).execute();

      const own = await t.app.inject({ method: "GET", url: "/api/v1/moderation/queues/pending", headers: auth(token) });
      assert.equal(own.statusCode, 200);
      assert.equal(own.json().items.length, 0, "the default site's held comment is not in site B's queue");
      const other = await t.app.inject({ method: "GET", url: "/api/v1/moderation/queues/pending?siteId=default", headers: auth(token) });
      assert.equal(other.statusCode, 403);
      const decide = await t.app.inject({ method: "POST", url: `/api/v1/moderation/comments/${held.id}/decision`, headers: auth(token), payload: { action: "approve" } });
      assert.equal(decide.statusCode, 403);
      const row = await t.store.db.selectFrom("comments").select("status").where("id", "=", held.id).executeTakeFirstOrThrow();
      assert.equal(row.status, "pending");
      const me = (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) })).json();
      assert.deepEqual(me.abilities.moderate, ["b-site"]);
      assert.equal(me.abilities.manageSites, false);
    });

    it("refuses display names that look like a staff member's, and the generated avatar is local SVG", async () => {
      await createUser(t.app.deps, { email: "editor@example.com", password: "an editor password", displayName: "Desk Editor", role: "staff" });
      for (const name of ["Desk Editor", "DESK EDIТOR", "Desk  Ed1tor"]) {
        const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email: `x${name.length}${Math.random()}@example.com`, password: "a long enough password", displayName: name } });
        assert.equal(res.statusCode, 400, name);
        assert.equal(res.json().error.code, "NAME_NOT_ALLOWED");
      }
      const ok = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email: "fine@example.com", password: "a long enough password", displayName: "  Desk\u200b Reader " } });
      assert.equal(ok.statusCode, 201);
      const { user } = ok.json();
      assert.equal(user.displayName, "Desk Reader");
      assert.equal(user.avatarUrl, `http://parley.test/avatars/${user.id}.svg`);
      const svg = await t.app.inject({ method: "GET", url: `/avatars/${user.id}.svg` });
      assert.match(svg.body, /^<svg/);
      assert.doesNotMatch(svg.body, /https?:\/\/(?!www\.w3\.org)/, "no external request");
    });
  });
}
