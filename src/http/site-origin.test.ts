import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, RELAXED_FOR_TESTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { changeModerationSettings } from "../moderation/settings.js";
import { forgetSites } from "../site/service.js";

const NEWS = "https://news.example"; // the default site's page (test/helpers.ts)
const OTHER = "https://other.example"; // the second site's page
const PARLEY = "http://parley.test"; // PUBLIC_URL: Parley's own pages

for (const { dialect, skip } of DIALECTS) {
  describe(`writes to a story only from its own site's pages on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let reader: { token: string; id: string };
    let newsStory: string;
    let otherStory: string;

    before(async () => {
      t = await testApp(dialect);
      await t.store.db.insertInto("sites").values({ id: "other", name: "Other", origins: JSON.stringify([OTHER]), settings: "{}", created_at: 0 }).execute();
      forgetSites();
      await changeModerationSettings(t.app.deps, "other", RELAXED_FOR_TESTS);
      reader = await signup(t.app, "Two-site reader");
      newsStory = await resolveStory(t.app);
      const resolved = await t.app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(`${OTHER}/a-story`)}` });
      assert.equal(resolved.statusCode, 200, resolved.body);
      otherStory = resolved.json().id;
    });
    after(() => t.close());

    const write = (method: "POST" | "PATCH" | "DELETE", url: string, origin: string | undefined, payload?: object) =>
      t.app.inject({ method, url, headers: { ...auth(reader.token), ...(origin ? { origin } : {}) }, ...(payload ? { payload } : {}) });
    const refused = (res: Awaited<ReturnType<typeof write>>, what: string) => {
      assert.equal(res.statusCode, 403, `${what}: ${res.body}`);
      assert.equal(res.json().error.code, "ORIGIN_NOT_ALLOWED", what);
    };
    const bodies = async () => (await t.store.db.selectFrom("comments").select("body").execute()).map((r) => r.body).sort();

    it("posts from the story's own site, from Parley's pages and without an Origin; refuses the other site's pages", async () => {
      assert.equal((await write("POST", `/api/v1/stories/${newsStory}/comments`, NEWS, { body: "From the news site." })).statusCode, 201);
      assert.equal((await write("POST", `/api/v1/stories/${otherStory}/comments`, OTHER, { body: "From the other site." })).statusCode, 201);
      assert.equal((await write("POST", `/api/v1/stories/${otherStory}/comments`, PARLEY, { body: "From Parley's own page." })).statusCode, 201);
      assert.equal((await write("POST", `/api/v1/stories/${newsStory}/comments`, undefined, { body: "From a server." })).statusCode, 201);
      const sameOrigin = await t.app.inject({
        method: "POST",
        url: `/api/v1/stories/${otherStory}/comments`,
        headers: { ...auth(reader.token), host: "comments.internal:3000", origin: "http://comments.internal:3000" },
        payload: { body: "From Parley's page under another name." },
      });
      assert.equal(sameOrigin.statusCode, 201, sameOrigin.body);
      const before = await bodies();

      const cross = await write("POST", `/api/v1/stories/${newsStory}/comments`, OTHER, { body: "Cross-site post." });
      refused(cross, "the other site's page posting to a news story");
      assert.equal(cross.headers["access-control-allow-origin"], OTHER, "the page can read why");
      refused(await write("POST", `/api/v1/stories/${otherStory}/comments`, NEWS, { body: "Cross-site post." }), "and the other way round");
      refused(await write("POST", `/api/v1/stories/${newsStory}/comments`, "null", { body: "From a sandboxed frame." }), "an opaque origin");
      refused(await write("POST", `/api/v1/stories/${newsStory}/comments`, "https://evil.example", { body: "From nowhere." }), "an unknown site");
      assert.deepEqual(await bodies(), before, "nothing was stored");

      // Reading is not a write: every origin may, as before.
      const read = await t.app.inject({ method: "GET", url: `/api/v1/stories/${newsStory}/comments`, headers: { origin: OTHER } });
      assert.equal(read.statusCode, 200);
    });

    it("refuses editing, deleting, reacting to, reporting, rating and following from the other site, changing nothing", async () => {
      const comment = await post(t.app, reader.token, newsStory, "A comment on the news site.");
      const other = await signup(t.app, "Reporting reader");
      const as = (token: string, method: "POST" | "PUT" | "PATCH" | "DELETE", url: string, payload?: object) =>
        t.app.inject({ method, url, headers: { ...auth(token), origin: OTHER }, ...(payload ? { payload } : {}) });

      refused(await as(reader.token, "PATCH", `/api/v1/comments/${comment.id}`, { body: "Edited cross-site." }), "edit");
      refused(await as(reader.token, "DELETE", `/api/v1/comments/${comment.id}`), "delete");
      refused(await as(other.token, "POST", `/api/v1/comments/${comment.id}/reactions`, { kind: "like" }), "react");
      refused(await as(other.token, "DELETE", `/api/v1/comments/${comment.id}/reactions/like`), "unreact");
      refused(await as(other.token, "POST", `/api/v1/comments/${comment.id}/reports`, { reason: "spam" }), "report");
      refused(await as(other.token, "PUT", `/api/v1/comments/${comment.id}/rating`, { value: "helpful" }), "rate");
      refused(await as(other.token, "POST", `/api/v1/stories/${newsStory}/follow`, { mode: "inapp" }), "follow");

      const stored = await t.store.db.selectFrom("comments").select(["body", "status"]).where("id", "=", comment.id).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { body: "A comment on the news site.", status: "published" });
      const counts = async (table: "reactions" | "reports" | "ratings" | "story_follows") =>
        (await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
      const tables = ["reactions", "reports", "ratings", "story_follows"] as const;
      assert.deepEqual(await Promise.all(tables.map(async (table) => Number(await counts(table)))), [0, 0, 0, 0]);

      // The same writes from the story's own site go through.
      const edited = await t.app.inject({ method: "PATCH", url: `/api/v1/comments/${comment.id}`, headers: { ...auth(reader.token), origin: NEWS }, payload: { body: "Edited on the news site." } });
      assert.equal(edited.statusCode, 200, edited.body);
      const liked = await t.app.inject({ method: "POST", url: `/api/v1/comments/${comment.id}/reactions`, headers: { ...auth(other.token), origin: NEWS }, payload: { kind: "like" } });
      assert.equal(liked.statusCode, 201, liked.body);
    });

    it("leaves an unknown id to the route's own 404", async () => {
      const res = await write("POST", "/api/v1/comments/nosuchcomment/reactions", OTHER, { kind: "like" });
      assert.equal(res.statusCode, 404, res.body);
    });
  });
}
