import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, post, signup, testApp } from "../../test/helpers.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`the audit log in people's words on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let admin: { token: string; id: string };
    const ids: string[] = [];
    const inject = (method: "GET" | "POST" | "PATCH", url: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth(admin.token), ...(payload ? { payload } : {}) });
    const log = async () =>
      (await inject("GET", "/api/v1/moderation/log?limit=50")).json().items as {
        summary: string;
        actor: { displayName: string } | null;
        href: string | null;
        reason: { label: string | null } | null;
      }[];

    before(async () => {
      t = await testApp(dialect);
      admin = await signup(t.app, "Ana Admin");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
      ids.push(admin.id);
    });
    after(() => t.close());

    it("writes each entry as a sentence with names and story titles, never ids or codes", async () => {
      // Made by the admin, who names its title (a page's own title is taken only when signed).
      const story = await inject("POST", "/api/v1/stories", {
        url: "https://news.example/riverside",
        title: "Riverside library to close on Sundays after budget vote",
      });
      const storyId = story.json().id as string;
      const pat = await signup(t.app, "Pat Reader");
      const chris = await signup(t.app, "Chris");
      const approved = await post(t.app, pat.token, storyId, "Sunday is the only day I can go.");
      const rude = await post(t.app, chris.token, storyId, "What a stupid plan.");
      ids.push(storyId, pat.id, chris.id, approved.id, rude.id);
      await inject("POST", `/api/v1/moderation/comments/${approved.id}/decision`, { action: "approve" });
      await inject("POST", `/api/v1/moderation/users/${chris.id}/actions`, {
        action: "ban",
        rejectComments: { reason: "hate-speech" },
      });
      await inject("POST", `/api/v1/moderation/users/${pat.id}/actions`, {
        action: "warn",
        message: "Please stay on topic.",
      });
      await inject("PATCH", "/api/v1/admin/sites/default", {
        origins: ["http://parley.test", "https://news.example", "https://blog.example"],
      });
      await inject("PATCH", "/api/v1/admin/settings", { moderation: { suspectWords: ["stupid"] } });

      const items = await log();
      const sentences = items.map((i) => i.summary);
      assert.ok(
        sentences.includes(
          "Ana Admin approved Pat Reader’s comment on “Riverside library to close on Sundays after budget vote”.",
        ),
        sentences.join("\n"),
      );
      assert.ok(
        sentences.includes(
          "Ana Admin rejected Chris’s comment on “Riverside library to close on Sundays after budget vote” as hate speech.",
        ),
      );
      assert.ok(sentences.includes("Ana Admin banned Chris and rejected one of their comments."));
      assert.ok(sentences.includes("Ana Admin warned Pat Reader."));
      assert.ok(sentences.includes("Ana Admin changed the site Default site: allowed https://blog.example."));
      assert.ok(sentences.includes("Ana Admin changed the moderation settings (suspect words) of Default site."));
      for (const sentence of sentences) {
        for (const id of ids) assert.ok(!sentence.includes(id), `no id in “${sentence}”`);
        assert.doesNotMatch(sentence, /\b(comment|user|site|settings)\.[a-z_]+\b/, "no action codes");
      }
      const rejected = items.find((i) => i.summary.startsWith("Ana Admin rejected"));
      assert.equal(rejected?.reason?.label, "hate speech");
      assert.equal(rejected?.href, `https://news.example/riverside#comment-${rude.id}`, "the comment in its thread");
      assert.equal(rejected?.actor?.displayName, "Ana Admin");
    });

    it("tells the reader's own acts from the moderators', and a site ban from a global one", async () => {
      const sam = await signup(t.app, "Sam Sample");
      await inject("POST", `/api/v1/moderation/users/${sam.id}/actions`, { action: "warn", message: "Careful." });
      await t.app.inject({ method: "POST", url: "/api/v1/me/warning/acknowledge", headers: auth(sam.token) });
      await inject("POST", `/api/v1/moderation/users/${sam.id}/actions`, { action: "ban", siteId: "default" });
      await inject("POST", `/api/v1/moderation/users/${sam.id}/actions`, { action: "clear", siteId: "default" });
      const sentences = (await log()).map((i) => i.summary);
      assert.ok(sentences.includes("Sam Sample read the warning and may comment again."), sentences.join("\n"));
      assert.ok(sentences.includes("Ana Admin banned Sam Sample from Default site."));
      assert.ok(sentences.includes("Ana Admin lifted Sam Sample’s ban from Default site."));
    });
  });
}
