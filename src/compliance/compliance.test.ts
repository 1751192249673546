import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser, openSession } from "../accounts/service.js";
import { DIALECTS, RELAXED_FOR_TESTS, type TestApp, auth, manualClock, post, resolveStory, signup, testApp } from "../../test/helpers.js";

const DAY = 24 * 3600 * 1000;

interface Statement {
  id: string;
  commentId: string;
  action: string;
  ground: string;
  law: string | null;
  reason: string;
  explanation: string;
  automated: boolean;
  decidedAt: string;
  appealUntil: string;
  appeal: { id: string; status: string } | null;
}

/** EU DSA: statements of reasons for every rejection or removal, and appeals decided by a second moderator. */
for (const { dialect, skip } of DIALECTS) {
  describe(`statements of reasons and appeals on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let first: string;
    let second: string;
    let reader: { token: string; id: string };
    let storyId: string;
    const call = (method: "GET" | "POST" | "DELETE", url: string, token: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth(token), ...(payload ? { payload } : {}) });
    const decisions = async (token = reader.token) => {
      const res = await call("GET", "/api/v1/me/decisions", token);
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{ items: Statement[] }>().items;
    };
    const statementOf = async (commentId: string) => {
      const found = (await decisions()).find((s) => s.commentId === commentId);
      assert.ok(found, `a statement for ${commentId}`);
      return found;
    };
    const moderator = async (name: string) => {
      const user = await createUser(t.app.deps, { email: `${name.replace(/\W/g, "").toLowerCase()}-${dialect}@example.com`, password: "an appeals moderator pw", displayName: name, role: "moderator" });
      return (await openSession(t.app.deps, user, "password")).token;
    };
    const reject = async (token: string, commentId: string, reason: object) =>
      assert.equal((await call("POST", `/api/v1/moderation/comments/${commentId}/decision`, token, { action: "reject", reason })).statusCode, 200);
    const commentCount = async () => (await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` })).json<{ commentCount: number }>().commentCount;

    before(async () => {
      // Sessions outlive the six-month window the test steps over.
      t = await testApp(dialect, { clock, moderation: RELAXED_FOR_TESTS, env: { PARLEY_SESSION_DAYS: "365" } });
      first = await moderator("Morgan First");
      second = await moderator("Sasha Second");
      reader = await signup(t.app, "Appealing reader");
      storyId = await resolveStory(t.app);
    });
    after(() => t.close());

    it("gives the author a statement of reasons for a moderator's rejection, naming the law", async () => {
      const comment = await post(t.app, reader.token, storyId, "A published comment that a moderator rejects");
      assert.equal(await commentCount(), 1);
      await reject(first, comment.id, { code: "illegal-content", text: "§ 130 StGB (incitement)" });
      assert.equal(await commentCount(), 0);
      const s = await statementOf(comment.id);
      assert.equal(s.action, "reject");
      assert.equal(s.ground, "illegal");
      assert.equal(s.law, "§ 130 StGB (incitement)");
      assert.equal(s.reason, "illegal-content");
      assert.match(s.explanation, /illegal.*§ 130 StGB/);
      assert.equal(s.automated, false);
      assert.equal(Date.parse(s.appealUntil) - Date.parse(s.decidedAt), 183 * DAY);
      assert.equal(s.appeal, null);
      const other = await signup(t.app, "Someone else");
      assert.deepEqual(await decisions(other.token), [], "nobody else reads it");
    });

    it("refuses the deciding moderator the appeal (403) and lets a second one reverse it, republishing the comment", async () => {
      const comment = (await decisions())[0];
      const someoneElse = await signup(t.app, "Not the author");
      assert.equal((await call("POST", `/api/v1/me/decisions/${comment.id}/appeal`, someoneElse.token, { explanation: "Not mine" })).statusCode, 404);
      const filed = await call("POST", `/api/v1/me/decisions/${comment.id}/appeal`, reader.token, { explanation: "I quoted the law, I did not break it." });
      assert.equal(filed.statusCode, 201, filed.body);
      const appeal = filed.json<{ appeal: { id: string; status: string } }>().appeal;
      assert.equal(appeal.status, "open");
      const again = await call("POST", `/api/v1/me/decisions/${comment.id}/appeal`, reader.token, { explanation: "Once more" });
      assert.equal(again.json().error.code, "ALREADY_APPEALED");

      const queue = (await call("GET", "/api/v1/moderation/appeals", first)).json<{ items: { appeal: { id: string }; canDecide: boolean; authorName: string; decidedByName: string }[] }>();
      const item = queue.items.find((i) => i.appeal.id === appeal.id);
      assert.ok(item);
      assert.equal(item.canDecide, false);
      assert.equal(item.authorName, "Appealing reader");
      assert.equal(item.decidedByName, "Morgan First");

      const refused = await call("POST", `/api/v1/moderation/appeals/${appeal.id}/decision`, first, { action: "reverse", note: "My own call" });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, "FORBIDDEN");
      assert.equal(await commentCount(), 0, "the refusal changed nothing");

      const reversed = await call("POST", `/api/v1/moderation/appeals/${appeal.id}/decision`, second, { action: "reverse", note: "Quoting the law is fine." });
      assert.equal(reversed.statusCode, 200, reversed.body);
      assert.equal(reversed.json().appeal.status, "reversed");
      assert.equal(await commentCount(), 1, "the comment counts again");
      const thread = (await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments` })).json<{ items: { id: string }[] }>();
      assert.ok(thread.items.some((c) => c.id === comment.commentId), "the comment is published again");
      assert.equal((await statementOf(comment.commentId)).appeal?.status, "reversed");
      const twice = await call("POST", `/api/v1/moderation/appeals/${appeal.id}/decision`, second, { action: "uphold", note: "Changed my mind" });
      assert.equal(twice.statusCode, 409);

      const log = (await call("GET", "/api/v1/moderation/log", second)).json<{ items: { action: string }[] }>().items.map((i) => i.action);
      for (const action of ["appeal.file", "appeal.reverse", "comment.approve"]) assert.ok(log.includes(action), `${action} in ${log.join(", ")}`);
    });

    it("answers an appeal after its window with 409 APPEAL_WINDOW_CLOSED and stores nothing", async () => {
      const comment = await post(t.app, reader.token, storyId, "A comment rejected as spam long ago");
      await reject(first, comment.id, { code: "spam" });
      const s = await statementOf(comment.id);
      assert.equal(s.ground, "terms");
      assert.equal(s.law, null);
      clock.advance(184 * DAY);
      const late = await call("POST", `/api/v1/me/decisions/${s.id}/appeal`, reader.token, { explanation: "Too late?" });
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.code, "APPEAL_WINDOW_CLOSED");
      assert.equal((await statementOf(comment.id)).appeal, null);
      const open = (await call("GET", "/api/v1/moderation/appeals", second)).json<{ items: unknown[] }>().items;
      assert.equal(open.length, 0);
    });

    it("refuses an empty explanation", async () => {
      const s = (await decisions())[0];
      const res = await call("POST", `/api/v1/me/decisions/${s.id}/appeal`, reader.token, { explanation: "   " });
      assert.equal(res.statusCode, 400);
    });

    it("records a statement for each comment a ban rejects, and for a moderator's removal; an upheld appeal leaves the comment rejected", async () => {
      const author = await signup(t.app, "Banned author");
      const a = await post(t.app, author.token, storyId, "Before the ban, one");
      const b = await post(t.app, author.token, storyId, "Before the ban, two");
      const removed = await post(t.app, reader.token, storyId, "Removed by a moderator");
      assert.equal((await call("DELETE", `/api/v1/comments/${removed.id}`, first)).statusCode, 204);
      const r = await statementOf(removed.id);
      assert.equal(r.action, "remove");
      assert.equal(r.reason, "other");

      const ban = await call("POST", `/api/v1/moderation/users/${author.id}/actions`, first, { action: "ban", message: "Spam account", rejectComments: { reason: "spam" } });
      assert.equal(ban.statusCode, 200, ban.body);
      const mine = await decisions(author.token);
      assert.deepEqual(mine.map((s) => s.commentId).sort(), [a.id, b.id].sort());
      const filed = await call("POST", `/api/v1/me/decisions/${mine[0].id}/appeal`, author.token, { explanation: "I am not a spammer." });
      assert.equal(filed.statusCode, 201, filed.body);
      const upheld = await call("POST", `/api/v1/moderation/appeals/${filed.json().appeal.id}/decision`, second, { action: "uphold", note: "The ban stands." });
      assert.equal(upheld.statusCode, 200, upheld.body);
      assert.equal(upheld.json().appeal.status, "upheld");
      const comment = await t.store.db.selectFrom("comments").select("status").where("id", "=", mine[0].commentId).executeTakeFirstOrThrow();
      assert.equal(comment.status, "rejected");
    });
  });
}
