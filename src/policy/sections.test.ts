import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, RELAXED_FOR_TESTS, type TestApp, auth, post, signup, testApp } from "../../test/helpers.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`sections in the desk on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let admin: { token: string; id: string };
    let politicsDesk: { token: string; id: string };
    let reader: { token: string; id: string };
    const inject = (method: "GET" | "POST" | "PUT", url: string, token: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth(token), ...(payload ? { payload } : {}) });
    const storyIn = async (path: string, section: string) =>
      (await t.app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(`https://news.example${path}`)}&section=${section}` })).json().id as string;
    const pendingIds = async (token: string, query = "") =>
      (await inject("GET", `/api/v1/moderation/queues/pending${query}`, token)).json().items.map((i: { comment: { id: string } }) => i.comment.id);

    before(async () => {
      t = await testApp(dialect, { moderation: { ...RELAXED_FOR_TESTS, premod: { site: true } } });
      admin = await signup(t.app, "Admin");
      politicsDesk = await signup(t.app, "Politics desk");
      reader = await signup(t.app, "Reader");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
    });
    after(() => t.close());

    it("scopes a moderator to sections as to sites: their queue, their decisions", async () => {
      const scoped = await inject("PUT", `/api/v1/admin/sites/default/roles/${politicsDesk.id}`, admin.token, {
        role: "moderator",
        sections: ["Politics", "politics"],
      });
      assert.equal(scoped.statusCode, 200, scoped.body);
      assert.deepEqual(scoped.json().sections, ["politics"]);
      const refused = await inject("PUT", `/api/v1/admin/sites/default/roles/${politicsDesk.id}`, admin.token, { role: "admin", sections: ["sport"] });
      assert.equal(refused.statusCode, 400, "admins are not scoped to sections");

      const onPolitics = await post(t.app, reader.token, await storyIn("/politics/vote", "politics"), "The vote was closer than reported.");
      const onSport = await post(t.app, reader.token, await storyIn("/sport/final", "sport"), "What a final that was.");
      assert.equal(onPolitics.status, "pending");

      assert.deepEqual(await pendingIds(politicsDesk.token), [onPolitics.id]);
      const all = await pendingIds(admin.token);
      assert.ok(all.includes(onPolitics.id) && all.includes(onSport.id));
      assert.deepEqual(await pendingIds(admin.token, "?section=Sport"), [onSport.id], "queues filter by section");
      assert.equal((await inject("GET", "/api/v1/moderation/counts", politicsDesk.token)).json().pending, 1, "counts follow the scope");
      assert.equal((await inject("GET", "/api/v1/moderation/counts?section=sport", admin.token)).json().pending, 1);

      const notMine = await inject("POST", `/api/v1/moderation/comments/${onSport.id}/decision`, politicsDesk.token, { action: "approve" });
      assert.equal(notMine.statusCode, 403);
      assert.match(notMine.json().error.message, /section you do not moderate/);
      const mine = await inject("POST", `/api/v1/moderation/comments/${onPolitics.id}/decision`, politicsDesk.token, { action: "approve" });
      assert.equal(mine.statusCode, 200, mine.body);
    });

    it("splits the dashboard's counts by section", async () => {
      const stats = (await inject("GET", "/api/v1/moderation/stats?range=day", admin.token)).json();
      const bySection = Object.fromEntries(
        stats.bySection.map((s: { section: string | null; comments: number; pending: number; published: number }) => [s.section ?? "(none)", s]),
      );
      assert.equal(bySection.politics.comments, 1);
      assert.equal(bySection.politics.published, 1);
      assert.equal(bySection.sport.pending, 1);
    });

    it("lets a section's moderator's ban reject the author's comments in their sections only", async () => {
      const author = await signup(t.app, "Swept author");
      const inPolitics = await post(t.app, author.token, await storyIn("/politics/budget", "politics"), "Politics comment to sweep.");
      const inSport = await post(t.app, author.token, await storyIn("/sport/derby", "sport"), "Sport comment outside the desk's sections.");
      const ban = await inject("POST", `/api/v1/moderation/users/${author.id}/actions`, politicsDesk.token, {
        action: "ban",
        siteId: "default",
        rejectComments: { reason: "abusive" },
      });
      assert.equal(ban.statusCode, 200, ban.body);
      const status = async (id: string) => (await t.store.db.selectFrom("comments").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
      assert.equal(await status(inPolitics.id), "rejected");
      assert.equal(await status(inSport.id), "pending", "a comment in another section is not the desk's to reject");
    });
  });
}
