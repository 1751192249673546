import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DIALECTS,
  type TestApp,
  auth,
  manualClock,
  post,
  postComment,
  resolveStory,
  signup,
  testApp,
} from "../../test/helpers.js";

async function counts(t: TestApp, storyId: string) {
  const story = await t.store.db
    .selectFrom("stories")
    .select("comment_count")
    .where("id", "=", storyId)
    .executeTakeFirstOrThrow();
  const rows = await t.store.db
    .selectFrom("comments")
    .select(["id", "status", "reply_count", "parent_id"])
    .where("story_id", "=", storyId)
    .execute();
  return { stored: story.comment_count, rows };
}

for (const { dialect, skip } of DIALECTS) {
  describe(`comments on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    before(async () => (t = await testApp(dialect, { clock })));
    after(() => t.close());

    it("posts a top-level comment and a reply at any depth, with counts updated", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const top = await post(t.app, ann.token, storyId, "The council vote was **close**.");
      assert.equal(top.status, "published");
      assert.equal(top.bodyHtml, "<p>The council vote was <strong>close</strong>.</p>");
      assert.equal(top.body, "The council vote was **close**.", "the author sees the source");
      let parent = top.id;
      for (let depth = 1; depth <= 6; depth++)
        parent = (await post(t.app, ann.token, storyId, `reply at depth ${depth}`, parent)).id;
      const story = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` });
      assert.equal(story.json().commentCount, 7);
      const thread = await t.app.inject({ method: "GET", url: `/api/v1/comments/${parent}` });
      assert.equal(thread.statusCode, 200);
      assert.equal(thread.json().comment.depth, 6);
      assert.deepEqual(
        thread.json().ancestors.map((a: { depth: number }) => a.depth),
        [0, 1, 2, 3, 4, 5],
      );
      assert.equal(thread.json().ancestors[0].id, top.id);
      assert.equal(thread.json().comment.body, undefined, "other readers never see the source");
    });

    it("nests the first three replies under each top-level comment with a cursor for the rest", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const top = await post(t.app, ann.token, storyId, "Top comment");
      const replies = [];
      for (let i = 0; i < 5; i++) {
        clock.advance(1000);
        replies.push((await post(t.app, ann.token, storyId, `reply ${i}`, top.id)).id);
      }
      const page = (await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments` })).json();
      const first = page.items[0];
      assert.equal(first.replyCount, 5);
      assert.deepEqual(
        first.replies.items.map((r: { id: string }) => r.id),
        replies.slice(0, 3),
      );
      const rest = await t.app.inject({
        method: "GET",
        url: `/api/v1/comments/${top.id}/replies?cursor=${first.replies.nextCursor}`,
      });
      assert.deepEqual(
        rest.json().items.map((r: { id: string }) => r.id),
        replies.slice(3),
      );
      assert.equal(rest.json().nextCursor, null);
    });

    it("sorts by newest, oldest and top (reactions, ties by recency)", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const readers = [await signup(t.app, "R1"), await signup(t.app, "R2")];
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        clock.advance(1000);
        ids.push((await post(t.app, ann.token, storyId, `comment ${i}`)).id);
      }
      for (const r of readers) {
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/comments/${ids[1]}/reactions`,
          headers: auth(r.token),
          payload: { kind: "like" },
        });
        assert.equal(res.statusCode, 201);
      }
      await t.app.inject({
        method: "POST",
        url: `/api/v1/comments/${ids[0]}/reactions`,
        headers: auth(readers[0].token),
        payload: { kind: "insightful" },
      });
      const order = async (sort: string) =>
        (await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments?sort=${sort}` }))
          .json()
          .items.map((c: { id: string }) => c.id);
      assert.deepEqual(await order("newest"), [...ids].reverse());
      assert.deepEqual(await order("oldest"), ids);
      assert.deepEqual(await order("top"), [ids[1], ids[0], ids[3], ids[2]]);
      const page = (
        await t.app.inject({
          method: "GET",
          url: `/api/v1/stories/${storyId}/comments?sort=top`,
          headers: auth(readers[0].token),
        })
      ).json();
      assert.deepEqual(page.items[0].reactions, { like: 2 });
      assert.deepEqual(page.items[0].viewerReactions, ["like"]);
    });

    it("renders the Markdown subset and nothing that could run", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const c = await post(
        t.app,
        ann.token,
        storyId,
        "*em* [site](https://example.com) [bad](javascript:alert(1)) <img src=x onerror=alert(1)> ![pic](https://example.com/a.png)\n\n> quoted\n\n- item\n\n`code`",
      );
      assert.match(c.bodyHtml, /<em>em<\/em>/);
      assert.match(c.bodyHtml, /<a href="https:\/\/example.com" rel="nofollow ugc noopener">site<\/a>/);
      assert.doesNotMatch(c.bodyHtml, /href="javascript:|<img|<script/i);
      assert.doesNotMatch(c.bodyHtml, /<[^>]+\son\w+=/i, "no tag carries an event handler");
      assert.match(c.bodyHtml, /&lt;img src=x onerror=alert\(1\)&gt;/);
      assert.match(c.bodyHtml, /<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
      assert.match(c.bodyHtml, /<li>item<\/li>/);
      assert.match(c.bodyHtml, /<code>code<\/code>/);
    });

    it("quotes a passage of the story or of another comment, and refuses a passage that is not there", async () => {
      const admin = await signup(t.app, "Admin");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/stories",
        headers: auth(admin.token),
        payload: {
          url: "https://news.example/quotable",
          title: "Quotable",
          bodyText: "The council voted 7-2 on Tuesday.\n\nWork starts in **March**.",
        },
      });
      assert.equal(created.statusCode, 201);
      const storyId = created.json().id;
      const ann = await signup(t.app, "Ann Quoter");
      const storyQuote = await postComment(t.app, ann.token, storyId, {
        body: "Which March?",
        quote: { source: "story", text: "Work  starts in March." },
      });
      assert.equal(storyQuote.statusCode, 201, storyQuote.body);
      const quoted = storyQuote.json().comment;
      assert.deepEqual(quoted.quote, { source: "story", text: "Work  starts in March." });
      assert.match(
        quoted.bodyHtml,
        /^<blockquote class="parley-quote"><p>Work {2}starts in March.<\/p><footer class="parley-quote-source">— <a href="https:\/\/news.example\/quotable"/,
      );

      const bob = await signup(t.app, "Bob");
      const commentQuote = await postComment(t.app, bob.token, storyId, {
        body: "Indeed.",
        parentId: quoted.id,
        quote: { source: "comment", commentId: quoted.id, text: "Which March" },
      });
      assert.equal(commentQuote.statusCode, 201, commentQuote.body);
      assert.match(
        commentQuote.json().comment.bodyHtml,
        new RegExp(`href="#comment-${quoted.id}"[^>]*>Ann Quoter</a>`),
      );

      const before = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` });
      for (const quote of [
        { source: "story", text: "The council voted unanimously" },
        { source: "comment", commentId: quoted.id, text: "Which April" },
        { source: "comment", commentId: "nope", text: "Which March" },
      ]) {
        const res = await postComment(t.app, bob.token, storyId, { body: "misquote", quote });
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().error.code, "QUOTE_NOT_FOUND");
      }
      const after = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` });
      assert.equal(after.json().commentCount, before.json().commentCount);
    });

    it("lets the author edit within the window, keeps the revision, and refuses afterwards", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const bob = await signup(t.app, "Bob");
      const c = await post(t.app, ann.token, storyId, "Frist!");
      const edit = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/comments/${c.id}`,
        headers: auth(ann.token),
        payload: { body: "First!" },
      });
      assert.equal(edit.statusCode, 200);
      assert.equal(edit.json().comment.bodyHtml, "<p>First!</p>");
      assert.ok(edit.json().comment.editedAt);
      const revisions = await t.store.db
        .selectFrom("comment_revisions")
        .select("body")
        .where("comment_id", "=", c.id)
        .execute();
      assert.deepEqual(revisions, [{ body: "Frist!" }]);
      const other = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/comments/${c.id}`,
        headers: auth(bob.token),
        payload: { body: "hijack" },
      });
      assert.equal(other.statusCode, 403);
      clock.advance(t.config.editWindowSeconds * 1000 + 1);
      const late = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/comments/${c.id}`,
        headers: auth(ann.token),
        payload: { body: "Too late" },
      });
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.code, "EDIT_WINDOW_CLOSED");
    });

    it("deletes: a comment with replies stays as a tombstone, one without disappears", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const bob = await signup(t.app, "Bob");
      const parent = await post(t.app, ann.token, storyId, "parent");
      const reply = await post(t.app, bob.token, storyId, "reply", parent.id);
      const lone = await post(t.app, ann.token, storyId, "lone");
      assert.equal(
        (await t.app.inject({ method: "DELETE", url: `/api/v1/comments/${parent.id}`, headers: auth(bob.token) }))
          .statusCode,
        403,
      );
      assert.equal(
        (await t.app.inject({ method: "DELETE", url: `/api/v1/comments/${parent.id}`, headers: auth(ann.token) }))
          .statusCode,
        204,
      );
      assert.equal(
        (await t.app.inject({ method: "DELETE", url: `/api/v1/comments/${lone.id}`, headers: auth(ann.token) }))
          .statusCode,
        204,
      );
      const page = (
        await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments?sort=oldest` })
      ).json();
      assert.equal(page.items.length, 1);
      const tomb = page.items[0];
      assert.equal(tomb.status, "removed");
      assert.equal(tomb.bodyHtml, "");
      assert.equal(tomb.author.displayName, "Deleted user");
      assert.equal(tomb.replies.items[0].id, reply.id);
      const { stored } = await counts(t, storyId);
      assert.equal(stored, 1, "only the reply is still a published comment");
      const gone = await t.app.inject({ method: "GET", url: `/api/v1/comments/${lone.id}` });
      assert.equal(gone.statusCode, 404);
    });

    it("returns the first response for a retried Idempotency-Key and refuses the key for another body", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const key = { "idempotency-key": "retry-1" };
      const first = await postComment(t.app, ann.token, storyId, { body: "once" }, key);
      const again = await postComment(t.app, ann.token, storyId, { body: "once" }, key);
      assert.equal(first.statusCode, 201);
      assert.equal(again.statusCode, 201);
      assert.equal(again.json().comment.id, first.json().comment.id);
      const other = await postComment(t.app, ann.token, storyId, { body: "something else" }, key);
      assert.equal(other.statusCode, 422);
      assert.equal(other.json().error.code, "IDEMPOTENCY_KEY_REUSED");
      const bob = await signup(t.app, "Bob");
      const bobs = await postComment(t.app, bob.token, storyId, { body: "once" }, key);
      assert.notEqual(bobs.json().comment.id, first.json().comment.id, "keys are per user");
      const concurrent = await Promise.all(
        Array.from({ length: 5 }, () =>
          postComment(t.app, ann.token, storyId, { body: "racing" }, { "idempotency-key": "race" }),
        ),
      );
      assert.equal(new Set(concurrent.map((r) => r.json().comment.id)).size, 1);
      const { stored } = await counts(t, storyId);
      assert.equal(stored, 3);
    });

    it("normalises text: NFC, no control, zero-width or bidi-override characters", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const c = await post(
        t.app,
        ann.token,
        storyId,
        "Cafe\u0301 he\u200Bllo \u202Eevil\u202C bell\u0007 👨\u200D👩\u200D👧",
      );
      assert.equal(c.body, "Café hello evil bell 👨\u200D👩\u200D👧");
    });

    it("refuses bad comments with a clear code and writes nothing", async () => {
      const storyId = await resolveStory(t.app);
      const otherStory = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const foreign = await post(t.app, ann.token, otherStory, "in another story");
      const before = await counts(t, storyId);
      const cases: [Record<string, unknown>, number, string][] = [
        [{ body: "" }, 400, "COMMENT_EMPTY"],
        [{ body: " \n\t\u200B " }, 400, "COMMENT_EMPTY"],
        [{ body: "x".repeat(5001) }, 400, "COMMENT_TOO_LONG"],
        [{ body: "nul\u0000byte" }, 400, "COMMENT_INVALID_TEXT"],
        [{ body: "reply", parentId: foreign.id }, 400, "PARENT_NOT_FOUND"],
        [{ body: "reply", parentId: "missing" }, 400, "PARENT_NOT_FOUND"],
        [{ body: 42 }, 400, "VALIDATION_FAILED"],
        [{}, 400, "VALIDATION_FAILED"],
      ];
      for (const [payload, status, code] of cases) {
        const res = await postComment(t.app, ann.token, storyId, payload);
        assert.equal(res.statusCode, status, JSON.stringify(payload).slice(0, 60));
        assert.equal(res.json().error.code, code);
      }
      const unknown = await postComment(t.app, ann.token, "no-such-story", { body: "hello" });
      assert.equal(unknown.statusCode, 404);
      const anonymous = await t.app.inject({
        method: "POST",
        url: `/api/v1/stories/${storyId}/comments`,
        payload: { body: "hi" },
      });
      assert.equal(anonymous.statusCode, 401);
      const badJson = await t.app.inject({
        method: "POST",
        url: `/api/v1/stories/${storyId}/comments`,
        headers: { ...auth(ann.token), "content-type": "application/json" },
        payload: "{oops",
      });
      assert.equal(badJson.statusCode, 400);
      assert.equal(badJson.json().error.code, "INVALID_JSON");
      assert.deepEqual(await counts(t, storyId), before);
    });

    it("refuses comments on closed and archived stories", async () => {
      const storyId = await resolveStory(t.app);
      const mod = await signup(t.app, "Mod");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", mod.id).execute();
      const reader = await signup(t.app, "Reader");
      const denied = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/stories/${storyId}`,
        headers: auth(reader.token),
        payload: { status: "closed" },
      });
      assert.equal(denied.statusCode, 403);
      for (const status of ["closed", "archived"]) {
        const res = await t.app.inject({
          method: "PATCH",
          url: `/api/v1/stories/${storyId}`,
          headers: auth(mod.token),
          payload: { status },
        });
        assert.equal(res.json().status, status);
        const refused = await postComment(t.app, reader.token, storyId, { body: "too late" });
        assert.equal(refused.statusCode, 409);
        assert.equal(refused.json().error.code, "STORY_CLOSED");
      }
    });

    it("deletes a comment whose only reply is held as a tombstone: the held reply keeps its parent", async () => {
      const storyId = await resolveStory(t.app);
      const mod = await signup(t.app, "Mod");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", mod.id).execute();
      const ann = await signup(t.app, "Ann");
      const parent = await post(t.app, ann.token, storyId, "parent");
      await t.app.inject({
        method: "PATCH",
        url: `/api/v1/stories/${storyId}`,
        headers: auth(mod.token),
        payload: { premod: true },
      });
      const held = await post(t.app, (await signup(t.app, "Bob")).token, storyId, "held reply", parent.id);
      assert.equal(held.status, "pending");
      const res = await t.app.inject({ method: "DELETE", url: `/api/v1/comments/${parent.id}`, headers: auth(ann.token) });
      assert.equal(res.statusCode, 204);
      const { stored, rows } = await counts(t, storyId);
      assert.equal(stored, 0);
      const byId = new Map(rows.map((r) => [r.id, r]));
      assert.equal(byId.get(parent.id)?.status, "removed");
      assert.equal(Number(byId.get(parent.id)?.reply_count), 0);
      assert.equal(byId.get(held.id)?.parent_id, parent.id);
    });

    it("shows a held comment to its author only", async () => {
      const storyId = await resolveStory(t.app);
      const mod = await signup(t.app, "Mod");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "=", mod.id).execute();
      await t.app.inject({
        method: "PATCH",
        url: `/api/v1/stories/${storyId}`,
        headers: auth(mod.token),
        payload: { premod: true },
      });
      const ann = await signup(t.app, "Ann");
      const held = await post(t.app, ann.token, storyId, "awaiting review");
      assert.equal(held.status, "pending");
      const list = async (headers = {}) =>
        (await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments`, headers })).json().items;
      assert.equal((await list(auth(ann.token))).length, 1);
      assert.equal((await list()).length, 0);
      assert.equal((await list(auth((await signup(t.app)).token))).length, 0);
      assert.equal((await t.app.inject({ method: "GET", url: `/api/v1/comments/${held.id}` })).statusCode, 404);
      assert.equal(
        (await t.app.inject({ method: "GET", url: `/api/v1/comments/${held.id}`, headers: auth(ann.token) }))
          .statusCode,
        200,
      );
      assert.equal((await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` })).json().commentCount, 0);
    });

    it("refuses malformed cursors and unknown sorts", async () => {
      const storyId = await resolveStory(t.app);
      for (const query of [
        "cursor=%25%25garbage",
        "cursor=WyJ0b3AiLDEsMiwiYSJd",
        "sort=sideways",
        "limit=0",
        "limit=101",
      ]) {
        const res = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments?${query}` });
        assert.equal(res.statusCode, 400, query);
        assert.ok(res.json().error.code);
      }
    });

    it("counts reactions once per reader and never on one's own comment", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      const bob = await signup(t.app, "Bob");
      const c = await post(t.app, ann.token, storyId, "react to me");
      const react = (token: string, kind = "like") =>
        t.app.inject({
          method: "POST",
          url: `/api/v1/comments/${c.id}/reactions`,
          headers: auth(token),
          payload: { kind },
        });
      assert.equal((await react(bob.token)).statusCode, 201);
      const twice = await react(bob.token);
      assert.equal(twice.statusCode, 200);
      assert.deepEqual(twice.json(), { reactions: { like: 1 }, viewerReactions: ["like"] });
      assert.equal((await react(ann.token)).statusCode, 403);
      assert.equal((await react(bob.token, "shout")).statusCode, 400);
      const undo = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/comments/${c.id}/reactions/like`,
        headers: auth(bob.token),
      });
      assert.deepEqual(undo.json(), { reactions: {}, viewerReactions: [] });
      const row = await t.store.db
        .selectFrom("comments")
        .select("reaction_count")
        .where("id", "=", c.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.reaction_count, 0);
    });
  });
}
