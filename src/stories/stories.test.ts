import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, signup, testApp } from "../../test/helpers.js";
import { canonicalStoryUrl } from "./url.js";

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
      assert.equal(story.title, "Council vote");
      assert.equal(story.author, "Metro desk");
      assert.equal(story.publishedAt, "2026-11-20T08:30:00.000Z");
      assert.equal(story.status, "open");
      assert.equal(story.commentCount, 0);
      const again = await Promise.all(
        ["https://NEWS.example/council-vote/#top", "https://news.example/council-vote?fbclid=1"].map((u) => resolve(u)),
      );
      assert.deepEqual(
        again.map((r) => r.json().id),
        [story.id, story.id],
      );
      const byId = await t.app.inject({ method: "GET", url: `/api/v1/stories/${story.id}` });
      assert.equal(byId.json().id, story.id);
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
