import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, signup, testApp } from "../../test/helpers.js";
import { canonicalStoryUrl } from "./url.js";
import { signTitle } from "./trust.js";
import { changeAccountSettings } from "../accounts/settings.js";
import { DEFAULT_SITE_ID } from "../site/service.js";

describe("canonical story URLs", () => {
  const cases: [string, string][] = [
    ["https://NEWS.Example/a/b/?utm_source=x&utm_medium=y#comments", "https://news.example/a/b"],
    ["https://news.example:443/a?id=3&fbclid=abc&gclid=def", "https://news.example/a?id=3"],
    ["https://news.example/", "https://news.example/"],
    ["https://news.example", "https://news.example/"],
    ["http://user:pw@news.example/x//", "http://news.example/x"],
    ["https://news.example/a?b=1&a=2", "https://news.example/a?b=1&a=2"],
  ];
  for (const [raw, expected] of cases) {
    it(`canonicalises ${raw}`, () => assert.equal(canonicalStoryUrl(raw).toString(), expected));
  }
  it("drops every parameter a site does not name as part of an article's address", () => {
    assert.equal(canonicalStoryUrl("https://news.example/a?id=3&x=1&p=2", ["p"]).toString(), "https://news.example/a?p=2");
    assert.equal(canonicalStoryUrl("https://news.example/a?x=1", []).toString(), "https://news.example/a");
  });
  it("refuses relative and non-web URLs", () => {
    for (const raw of ["/relative", "javascript:alert(1)", "ftp://news.example/x", "not a url"]) {
      assert.throws(() => canonicalStoryUrl(raw), { code: "INVALID_URL" });
    }
  });
});

for (const { dialect, skip } of DIALECTS) {
  describe(`stories on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());
    const resolve = (url: string, extra = "") =>
      t.app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(url)}${extra}` });

    it("creates a story on first use from an allowed origin, once, whatever link the reader came by", async () => {
      const first = await resolve(
        "https://news.example/council-vote?utm_source=tw",
        "&title=Council%20vote&author=Metro%20desk&publishedAt=2026-11-20T08:30:00Z",
      );
      assert.equal(first.statusCode, 200);
      const story = first.json();
      assert.equal(story.url, "https://news.example/council-vote");
      assert.equal(story.title, "/council-vote", "an unsigned page's title is not taken: the path stands in");
      assert.equal(story.author, "Metro desk");
      assert.equal(story.publishedAt, "2026-11-20T08:30:00.000Z");
      assert.equal(story.status, "open");
      assert.equal(story.commentCount, 0);
      const again = await Promise.all(
        ["https://NEWS.example/council-vote/#top", "https://news.example/council-vote?fbclid=1", "https://news.example/council-vote?x=2"].map((u) =>
          resolve(u),
        ),
      );
      assert.deepEqual(
        again.map((r) => r.json().id),
        [story.id, story.id, story.id],
      );
      const byId = await t.app.inject({ method: "GET", url: `/api/v1/stories/${story.id}` });
      assert.equal(byId.json().id, story.id);
    });

    it("takes a page's title only when it is signed with one of the site's SSO secrets", async () => {
      const secret = "a publisher secret of thirty-two characters";
      await changeAccountSettings(t.app.deps, DEFAULT_SITE_ID, { sso: { secrets: [{ kid: "k1", secret }] } });
      const url = "https://news.example/signed-title";
      const forged = await resolve(url, `&title=${encodeURIComponent("Click here to win")}&titleSignature=${signTitle("not the secret at all, forged!!", url, "Click here to win")}`);
      assert.equal(forged.json().title, "/signed-title");
      const signed = await resolve(url, `&title=${encodeURIComponent("Riverside library reopens")}&titleSignature=${signTitle(secret, url, "Riverside library reopens")}`);
      assert.equal(signed.json().id, forged.json().id);
      assert.equal(signed.json().title, "Riverside library reopens");
      const later = await resolve(url, `&title=${encodeURIComponent("Another unsigned title")}`);
      assert.equal(later.json().title, "Riverside library reopens", "an unsigned page cannot rename it afterwards");
    });

    it("keeps one thread per article whatever the query string, except the parameters that name the article", async () => {
      const a = await resolve("https://news.example/index.php?p=5&utm_source=x");
      const b = await resolve("https://news.example/index.php?p=6");
      const c = await resolve("https://news.example/index.php?p=6&ref=home");
      assert.notEqual(a.json().id, b.json().id);
      assert.equal(b.json().id, c.json().id);
      assert.equal(c.json().url, "https://news.example/index.php?p=6");
    });

    it("refuses origins no site allows, and creates nothing", async () => {
      const res = await resolve("https://evil.example/page");
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, "ORIGIN_NOT_ALLOWED");
      const rows = await t.store.db
        .selectFrom("stories")
        .select("id")
        .where("url", "like", "https://evil.example%")
        .execute();
      assert.deepEqual(rows, []);
      assert.equal((await resolve("notaurl")).statusCode, 400);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/stories/resolve" })).statusCode, 400);
    });

    it("lets only admins create stories directly and only moderators change them", async () => {
      const reader = await signup(t.app, "Reader");
      const admin = await signup(t.app, "Admin");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
      const payload = { url: "https://news.example/direct", title: "Direct" };
      assert.equal((await t.app.inject({ method: "POST", url: "/api/v1/stories", payload })).statusCode, 401);
      assert.equal(
        (await t.app.inject({ method: "POST", url: "/api/v1/stories", headers: auth(reader.token), payload }))
          .statusCode,
        403,
      );
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/stories",
        headers: auth(admin.token),
        payload,
      });
      assert.equal(created.statusCode, 201);
      const id = created.json().id;
      const patch = (token: string, body: object) =>
        t.app.inject({ method: "PATCH", url: `/api/v1/stories/${id}`, headers: auth(token), payload: body });
      assert.equal((await patch(reader.token, { status: "closed" })).statusCode, 403);
      assert.equal((await patch(admin.token, { status: "sideways" })).statusCode, 400);
      const closed = await patch(admin.token, { status: "closed", premod: true });
      assert.equal(closed.json().status, "closed");
      assert.equal(closed.json().settings.premod, true);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/stories/missing" })).statusCode, 404);
    });
  });
}

for (const { dialect, skip } of DIALECTS) {
  describe(`story creation limits at their defaults on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect, { accountLimits: {} })));
    after(() => t.close());

    it("creates at most 30 new threads an hour for one address, and still finds existing ones", async () => {
      const resolveAs = (path: string, ip: string) =>
        t.app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(`https://news.example${path}`)}`, remoteAddress: ip });
      const statuses = [];
      for (let i = 0; i < 35; i++) statuses.push((await resolveAs(`/flood-${i}`, "203.0.113.9")).statusCode);
      assert.equal(statuses.filter((s) => s === 200).length, 30);
      assert.ok(statuses.slice(30).every((s) => s === 429));
      assert.equal((await resolveAs("/flood-1", "203.0.113.9")).statusCode, 200, "an existing thread is found");
      assert.equal((await resolveAs("/flood-new", "203.0.113.10")).statusCode, 200, "another address creates");
      const stories = await t.store.db.selectFrom("stories").select("id").where("url", "like", "https://news.example/flood-%").execute();
      assert.equal(stories.length, 31);
    });
  });
}
