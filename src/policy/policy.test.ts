import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, RELAXED_FOR_TESTS, type TestApp, auth, manualClock, postComment, signup, testApp } from "../../test/helpers.js";

const DAY = 86_400_000;

for (const { dialect, skip } of DIALECTS) {
  describe(`newsroom policies on ${dialect}`, { skip }, () => {
    let t: TestApp;
    // Friday 20 November 2026, noon UTC (13:00 in Berlin).
    const clock = manualClock(Date.parse("2026-11-20T12:00:00Z"));
    let admin: { token: string; id: string };
    let reader: { token: string; id: string };
    const inject = (method: "GET" | "POST" | "PATCH", url: string, token?: string, payload?: object) =>
      t.app.inject({ method, url, headers: token ? auth(token) : {}, ...(payload ? { payload } : {}) });
    const settings = (moderation: object) => inject("PATCH", "/api/v1/admin/settings", admin.token, { moderation });
    const story = async (path: string, extra = "") =>
      (await inject("GET", `/api/v1/stories/resolve?url=${encodeURIComponent(`https://news.example${path}`)}${extra}`)).json();

    before(async () => {
      t = await testApp(dialect, { clock, moderation: RELAXED_FOR_TESTS });
      admin = await signup(t.app, "Admin");
      reader = await signup(t.app, "Reader");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
    });
    after(() => t.close());

    it("refuses a window in a time zone that does not exist, and changes nothing", async () => {
      const before = (await inject("GET", "/api/v1/admin/settings", admin.token)).json().moderation.policy;
      const bad = await settings({
        policy: { closeAfterDays: 5, premodWindows: [{ days: [1], from: "22:00", to: "06:00", timeZone: "Europe/Atlantis" }] },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, "VALIDATION_FAILED");
      assert.match(bad.json().error.message, /Unknown time zone "Europe\/Atlantis"/);
      assert.equal(bad.json().error.details.path, "/policy/premodWindows/0/timeZone");
      const badSection = await settings({
        policy: { sections: { opinion: { premodWindows: [{ days: [1], from: "22:00", to: "06:00", timeZone: "Nowhere" }] } } },
      });
      assert.equal(badSection.statusCode, 400);
      assert.equal((await settings({ policy: { premodWindows: [{ days: [9], from: "25:00", to: "06:00", timeZone: "UTC" }] } })).statusCode, 400);
      assert.deepEqual((await inject("GET", "/api/v1/admin/settings", admin.token)).json().moderation.policy, before);
    });

    it("replaces a section named in a change whole, keeps the others, and removes one set to null", async () => {
      const policyNow = async () => (await inject("GET", "/api/v1/admin/settings", admin.token)).json().moderation.policy;
      await settings({ policy: { sections: { letters: { closeAfterDays: 2, premod: true }, travel: { commenting: "registered" } } } });
      // The desk's "as the site says" for the close date: the section is sent without it.
      assert.equal((await settings({ policy: { sections: { letters: { premod: true } } } })).statusCode, 200);
      const after = await policyNow();
      assert.deepEqual(after.sections.letters, { premod: true });
      assert.deepEqual(after.sections.travel, { commenting: "registered" }, "a section not named is kept");
      await settings({ policy: { sections: { letters: null, travel: null } } });
      assert.deepEqual((await policyNow()).sections, {});
    });

    it("takes a story's section from the embed on first use, and from an admin", async () => {
      const first = await story("/politics/budget", "&section=Politics");
      assert.equal(first.section, "politics");
      const again = await story("/politics/budget", "&section=sport");
      assert.equal(again.section, "politics", "a page cannot move a story to another section afterwards");
      const created = await inject("POST", "/api/v1/stories", admin.token, {
        url: "https://news.example/sport/final",
        section: "Sport",
        closeAfterDays: 2,
        commenting: "registered",
      });
      assert.equal(created.statusCode, 201);
      assert.equal(created.json().section, "sport");
      assert.deepEqual(created.json().settings, { premod: false, closeAfterDays: 2, commenting: "registered" });
      const moved = await inject("PATCH", `/api/v1/stories/${first.id}`, admin.token, { section: "Opinion" });
      assert.equal(moved.json().section, "opinion");
    });

    it("closes a thread N days after publication: the story says so and new comments get 403 STORY_CLOSED", async () => {
      assert.equal((await settings({ policy: { closeAfterDays: 3, sections: { culture: { closeAfterDays: 1 } } } })).statusCode, 200);
      const published = new Date(clock.now() - 2 * DAY).toISOString();
      const site = await story("/news/old", `&publishedAt=${published}`);
      const culture = await story("/culture/old", `&publishedAt=${published}&section=culture`);
      assert.equal(site.policy.closed, false);
      assert.equal(site.policy.closesAt, new Date(clock.now() + DAY).toISOString());
      assert.equal(culture.policy.closed, true, "the section's day wins over the site's three");
      const refused = await postComment(t.app, reader.token, culture.id, { body: "Too late for this one?" });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, "STORY_CLOSED");
      assert.match(refused.json().error.message, /closed on \d+ November 2026/);
      assert.equal((await postComment(t.app, reader.token, site.id, { body: "Still open here." })).statusCode, 201);
      clock.advance(DAY);
      const later = await postComment(t.app, reader.token, site.id, { body: "And now it is closed." });
      assert.equal(later.json().error.code, "STORY_CLOSED");
      assert.equal((await inject("GET", `/api/v1/stories/${site.id}`)).json().policy.closed, true);
      // A moderator keeps one story open longer: its own setting wins.
      await inject("PATCH", `/api/v1/stories/${site.id}`, admin.token, { closeAfterDays: 30 });
      assert.equal((await postComment(t.app, reader.token, site.id, { body: "Reopened by the desk." })).statusCode, 201);
      await settings({ policy: { closeAfterDays: null, sections: { culture: null } } });
    });

    it("holds comments posted in the night-shift window, in the newsroom's time zone", async () => {
      const s = await story("/news/night");
      // The clock is at Saturday 13:00 in Berlin (the test before moved it a day).
      await settings({ policy: { premodWindows: [{ days: [6], from: "22:00", to: "06:00", timeZone: "Europe/Berlin" }] } });
      const day = await postComment(t.app, reader.token, s.id, { body: "Posted at lunchtime in Berlin." });
      assert.equal(day.json().comment.status, "published");
      clock.advance(9 * 3600_000); // 22:00 in Berlin
      assert.equal((await inject("GET", `/api/v1/stories/${s.id}`)).json().policy.premodNow, true);
      const night = await postComment(t.app, reader.token, s.id, { body: "Posted late on Saturday night." });
      assert.equal(night.json().comment.status, "pending");
      const row = await t.store.db.selectFrom("comments").select("reasons").where("id", "=", night.json().comment.id).executeTakeFirstOrThrow();
      assert.match(row.reasons ?? "", /SCHEDULED_PREMOD/);
      clock.advance(8 * 3600_000); // 06:00 on Sunday in Berlin
      const morning = await postComment(t.app, reader.token, s.id, { body: "Good morning, early riser here." });
      assert.equal(morning.json().comment.status, "published");
      await settings({ policy: { premodWindows: [] } });
    });

    it("pre-moderates a section and lets only subscribers comment where the policy says so", async () => {
      await settings({
        policy: {
          subscribeUrl: "https://news.example/subscribe",
          sections: { investigations: { premod: true, commenting: "subscribers" }, letters: { premod: true } },
        },
      });
      const letters = await story("/letters/one", "&section=letters");
      const held = await postComment(t.app, reader.token, letters.id, { body: "A letter to the editor." });
      assert.equal(held.json().comment.status, "pending");
      const inv = await story("/investigations/one", "&section=investigations");
      assert.equal(inv.policy.commenting, "subscribers");
      assert.equal(inv.policy.subscribeUrl, "https://news.example/subscribe");
      const refused = await postComment(t.app, reader.token, inv.id, { body: "May I comment?" });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, "SUBSCRIBERS_ONLY");
      assert.equal(refused.json().error.details.subscribeUrl, "https://news.example/subscribe");
      await t.store.db.updateTable("users").set({ entitlements: '["subscriber"]' }).where("id", "=", reader.id).execute();
      const allowed = await postComment(t.app, reader.token, inv.id, { body: "As a subscriber, I may." });
      assert.equal(allowed.statusCode, 201);
      assert.equal(allowed.json().comment.status, "pending", "the section is pre-moderated too");
      const queue = (await inject("GET", `/api/v1/moderation/queues/pending?storyId=${inv.id}`, admin.token)).json();
      assert.deepEqual(queue.items[0].author.user.entitlements, ["subscriber"], "the desk shows the reader's tier");
      // "registered": a local account needs a confirmed address.
      await inject("PATCH", `/api/v1/stories/${letters.id}`, admin.token, { commenting: "registered" });
      const unverified = await postComment(t.app, reader.token, letters.id, { body: "Not confirmed yet." });
      assert.equal(unverified.json().error.code, "REGISTERED_ONLY");
      await settings({ policy: { sections: { investigations: null, letters: null } } });
    });
  });
}
