import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import { changeAccountSettings } from "./settings.js";
import { createUser, openSession } from "./service.js";
import { DELETED_USER_ID } from "./your-data.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`your data on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());

    it("exports profile, comments with revisions, reactions, reports and sessions, and logs it without personal data", async () => {
      const me = await signup(t.app, "Exporter");
      const other = await signup(t.app, "Other author");
      const storyId = await resolveStory(t.app);
      const mine = await post(t.app, me.token, storyId, "First version of my comment");
      await t.app.inject({ method: "PATCH", url: `/api/v1/comments/${mine.id}`, headers: auth(me.token), payload: { body: "Second version of my comment" } });
      const theirs = await post(t.app, other.token, storyId, "Their comment to react to");
      await t.app.inject({ method: "POST", url: `/api/v1/comments/${theirs.id}/reactions`, headers: auth(me.token), payload: { kind: "like" } });
      await t.app.inject({ method: "POST", url: `/api/v1/comments/${theirs.id}/reports`, headers: auth(me.token), payload: { reason: "spam", note: "my note" } });

      const res = await t.app.inject({ method: "GET", url: "/api/v1/me/export", headers: auth(me.token) });
      assert.equal(res.statusCode, 200);
      const data = res.json();
      assert.equal(data.profile.id, me.id);
      assert.match(data.profile.email, /@example\.com$/);
      assert.equal(data.comments.length, 1);
      assert.equal(data.comments[0].body, "Second version of my comment");
      assert.ok(data.comments[0].revisions.some((r: { body: string }) => r.body === "First version of my comment"));
      assert.deepEqual(data.reactions.map((r: { kind: string }) => r.kind), ["like"]);
      assert.equal(data.reports[0].note, "my note");
      assert.equal(data.sessions.length, 1);
      // The response schema keeps every field the export writes.
      for (const key of ["email", "status", "emailVerified", "siteRoles", "identities"]) assert.ok(key in data.profile, key);
      assert.deepEqual(Object.keys(data.comments[0]).sort(), [
        "body", "bodyHtml", "createdAt", "editedAt", "id", "parentId", "quote", "revisions", "siteId", "status", "storyId", "storyUrl",
      ]);
      assert.deepEqual(Object.keys(data.sessions[0]).sort(), ["createdAt", "expiresAt", "id", "lastSeenAt", "method", "userAgent"]);
      assert.deepEqual(Object.keys(data.reports[0]).sort(), ["commentId", "createdAt", "note", "reason", "resolvedAt"]);
      assert.equal(JSON.stringify(data).includes(me.token), false);
      assert.equal(JSON.stringify(data).includes("Their comment"), false, "other people's comments are not mine to export");
      assert.deepEqual(data.decisions, []);
      assert.deepEqual(data.notices, []);
      const log = await t.store.db.selectFrom("moderation_actions").selectAll().where("action", "=", "account.export").execute();
      assert.equal(log.length, 1);
      assert.equal(JSON.stringify(log).includes("@example.com"), false);
    });

    it("exports the statements of reasons for the reader's rejected comments, with their appeal, and the notices they sent", async () => {
      const me = await signup(t.app, "Rejected exporter");
      const other = await signup(t.app, "Notified author");
      const storyId = await resolveStory(t.app);
      const mine = await post(t.app, me.token, storyId, "A comment a moderator rejects");
      const theirs = await post(t.app, other.token, storyId, "A comment I notify");
      const mod = await createUser(t.app.deps, { email: "export-mod@example.com", password: "an export moderator pw", displayName: "Export Mod", role: "moderator" });
      const modToken = (await openSession(t.app.deps, mod, "password")).token;
      const rejected = await t.app.inject({ method: "POST", url: `/api/v1/moderation/comments/${mine.id}/decision`, headers: auth(modToken), payload: { action: "reject", reason: { code: "spam" } } });
      assert.equal(rejected.statusCode, 200, rejected.body);
      const decisionId = (await t.app.inject({ method: "GET", url: "/api/v1/me/decisions", headers: auth(me.token) })).json<{ items: { id: string }[] }>().items[0].id;
      await t.app.inject({ method: "POST", url: `/api/v1/me/decisions/${decisionId}/appeal`, headers: auth(me.token), payload: { explanation: "It was not spam." } });
      const n = await t.app.inject({ method: "POST", url: "/api/v1/notices", headers: auth(me.token), payload: { commentId: theirs.id, law: "Criminal Code", explanation: "Defames a person.", goodFaith: true } });
      assert.equal(n.statusCode, 201, n.body);
      const data = (await t.app.inject({ method: "GET", url: "/api/v1/me/export", headers: auth(me.token) })).json();
      assert.equal(data.decisions.length, 1);
      assert.equal(data.decisions[0].commentId, mine.id);
      assert.equal(data.decisions[0].reason, "spam");
      assert.equal(data.decisions[0].appeal.status, "open");
      assert.equal(data.decisions[0].appeal.explanation, "It was not spam.");
      assert.deepEqual(data.notices.map((x: { commentId: string; status: string }) => [x.commentId, x.status]), [[theirs.id, "open"]]);
      const gone = await t.app.inject({ method: "DELETE", url: "/api/v1/me", headers: auth(me.token) });
      assert.equal(gone.statusCode, 200, gone.body);
      const kept = await t.store.db.selectFrom("notices").selectAll().where("comment_id", "=", theirs.id).executeTakeFirstOrThrow();
      assert.equal(kept.reporter_id, null, "the notice stays, its notifier forgotten");
      assert.equal(kept.ip_hash, null);
    });

    it("deletes an account in one go, keeping its comments under \"deleted user\" by default", async () => {
      const me = await signup(t.app, "Leaver");
      const other = await signup(t.app, "Stayer");
      const storyId = await resolveStory(t.app);
      const mine = await post(t.app, me.token, storyId, "A comment I leave behind");
      const theirs = await post(t.app, other.token, storyId, "A comment I liked");
      await t.app.inject({ method: "POST", url: `/api/v1/comments/${theirs.id}/reactions`, headers: auth(me.token), payload: { kind: "like" } });

      const res = await t.app.inject({ method: "DELETE", url: "/api/v1/me", headers: auth(me.token) });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { removed: 0, anonymized: 1 });
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(me.token) })).statusCode, 401);
      assert.equal(await t.store.db.selectFrom("users").select("id").where("id", "=", me.id).executeTakeFirst(), undefined);
      const kept = (await t.app.inject({ method: "GET", url: `/api/v1/comments/${mine.id}` })).json();
      assert.equal(kept.comment?.author?.displayName ?? kept.author?.displayName, "deleted user");
      const liked = await t.store.db.selectFrom("comments").select(["reactions", "reaction_count"]).where("id", "=", theirs.id).executeTakeFirstOrThrow();
      assert.equal(liked.reaction_count, 0);
      assert.deepEqual(JSON.parse(liked.reactions), {});
      const log = await t.store.db.selectFrom("moderation_actions").selectAll().where("action", "=", "account.delete").where("target_id", "=", me.id).execute();
      assert.equal(log.length, 1);
      assert.equal(JSON.stringify(log).includes("Leaver"), false, "the log keeps no name");
    });

    it("removes the comments where the site says so, leaving a tombstone where others replied", async () => {
      await changeAccountSettings(t.app.deps, "default", { deletion: "remove" });
      const me = await signup(t.app, "Remover");
      const other = await signup(t.app, "Replier");
      const storyId = await resolveStory(t.app);
      const answered = await post(t.app, me.token, storyId, "Answered comment");
      await post(t.app, other.token, storyId, "A reply", answered.id);
      const alone = await post(t.app, me.token, storyId, "Lonely comment");
      const before = (await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` })).json().commentCount;

      const res = await t.app.inject({ method: "DELETE", url: "/api/v1/me", headers: auth(me.token) });
      assert.deepEqual(res.json(), { removed: 1, anonymized: 1 });
      const rows = await t.store.db.selectFrom("comments").select(["id", "status", "body", "author_id"]).where("id", "in", [answered.id, alone.id]).execute();
      assert.deepEqual(rows, [{ id: answered.id, status: "removed", body: "", author_id: DELETED_USER_ID }]);
      const afterCount = (await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` })).json().commentCount;
      assert.equal(afterCount, before - 2);
      await changeAccountSettings(t.app.deps, "default", { deletion: "anonymize" });
    });
  });
}
