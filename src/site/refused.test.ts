import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { REFUSED_KEPT } from "./refused.js";

const MINUTE = 60_000;

for (const { dialect, skip } of DIALECTS) {
  describe(`origins refused an embed, on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let admin: { token: string; id: string };
    let moderator: { token: string; id: string };
    const refused = async (token = admin.token) =>
      t.app.inject({ method: "GET", url: "/api/v1/admin/refused-origins", headers: auth(token) });
    const embedFrom = (origin: string, url = "https://news.example/refused-origins") =>
      t.app.inject({
        method: "GET",
        url: `/embed/threads?fragment=true&url=${encodeURIComponent(url)}`,
        headers: { origin },
      });

    before(async () => {
      t = await testApp(dialect, { clock });
      admin = await signup(t.app, "Ada Admin");
      moderator = await signup(t.app, "Mo Moderator");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", moderator.id).execute();
    });
    after(() => t.close());

    it("answers a page on a not-allowed origin with a readable refusal naming it, and nothing of the thread", async () => {
      const storyId = await resolveStory(t.app, "/refused-origins");
      const reader = await signup(t.app, "Rita Reader");
      await post(t.app, reader.token, storyId, "A comment only allowed pages may show.");
      const res = await embedFrom("https://blog.example");
      assert.equal(res.statusCode, 403);
      assert.equal(res.headers["access-control-allow-origin"], "*", "the loader can read why");
      assert.deepEqual(res.json().error.code, "ORIGIN_NOT_ALLOWED");
      assert.deepEqual(res.json().error.details, { origin: "https://blog.example" });
      assert.match(res.json().error.message, /https:\/\/blog\.example/);
      assert.doesNotMatch(res.body, /only allowed pages may show|Rita/);
      // The allowed origin gets the thread, with CORS for that origin only.
      const allowed = await embedFrom("https://news.example");
      assert.equal(allowed.statusCode, 200);
      assert.equal(allowed.headers["access-control-allow-origin"], "https://news.example");
      assert.match(allowed.body, /only allowed pages may show/);
    });

    it("lists refused origins to admins with their page and count, and forgets one once it is allowed", async () => {
      clock.advance(2 * MINUTE);
      await embedFrom("https://shop.example", "https://shop.example/p/kettle?session=secret#x");
      clock.advance(2 * MINUTE);
      await embedFrom("https://shop.example", "https://shop.example/p/kettle?session=secret#x");
      // A story URL on an origin no site has is refused and listed too, even from an allowed page.
      const elsewhere = await embedFrom("https://news.example", "https://mirror.example/copy");
      assert.equal(elsewhere.statusCode, 403);
      const res = await refused();
      assert.equal(res.statusCode, 200);
      const items = res.json().items as { origin: string; pageUrl: string; attempts: number; lastSeenAt: string }[];
      assert.deepEqual(items.map((i) => i.origin).sort(), [
        "https://blog.example",
        "https://mirror.example",
        "https://shop.example",
      ]);
      const shop = items.find((i) => i.origin === "https://shop.example");
      assert.equal(shop?.attempts, 2);
      assert.equal(shop?.pageUrl, "https://shop.example/p/kettle", "no query: it can carry a reader's data");
      assert.equal(items[0].origin, "https://mirror.example", "most recent first");

      assert.equal((await refused(moderator.token)).statusCode, 403, "admins only");
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/admin/refused-origins" })).statusCode, 401);

      const allow = await t.app.inject({
        method: "PATCH",
        url: "/api/v1/admin/sites/default",
        headers: auth(admin.token),
        payload: { origins: ["https://news.example", "https://shop.example"] },
      });
      assert.equal(allow.statusCode, 200, allow.body);
      const after = (await refused()).json().items as { origin: string }[];
      assert.ok(!after.some((i) => i.origin === "https://shop.example"), "allowed now, so no longer offered");
      assert.equal((await embedFrom("https://shop.example")).statusCode, 200);
    });

    it("counts a busy refused page once a minute per node, and keeps only the most recent origins", async () => {
      clock.advance(2 * MINUTE);
      for (let i = 0; i < 5; i++) await embedFrom("https://busy.example");
      const busy = ((await refused()).json().items as { origin: string; attempts: number }[]).find(
        (i) => i.origin === "https://busy.example",
      );
      assert.equal(busy?.attempts, 1);
      for (let i = 0; i < REFUSED_KEPT + 5; i++) {
        clock.advance(1000);
        await embedFrom(`https://site${i}.example`);
      }
      const items = (await refused()).json().items as { origin: string }[];
      assert.equal(items.length, REFUSED_KEPT);
      assert.equal(items[0].origin, `https://site${REFUSED_KEPT + 4}.example`);
      const stored = await t.store.db.selectFrom("refused_origins").select("origin").execute();
      assert.equal(stored.length, REFUSED_KEPT, "the table itself stays bounded");
    });

    it("ignores an Origin header that is no origin, but still refuses the request", async () => {
      const res = await embedFrom("null");
      assert.equal(res.statusCode, 403);
      const garbage = await embedFrom("https://a.example/path");
      assert.equal(garbage.statusCode, 403);
      const items = (await refused()).json().items as { origin: string }[];
      assert.ok(!items.some((i) => i.origin === "null" || i.origin.includes("/path")));
    });
  });
}
