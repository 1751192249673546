import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, testApp } from "../../test/helpers.js";
import { account } from "../../test/notifications.js";

type Person = Awaited<ReturnType<typeof account>>;
interface Listed {
  id: string;
  answered?: boolean;
  reactions: Record<string, number>;
  author: { badges: string[] };
  replies?: { items: { id: string; author: { badges: string[] } }[] };
}

for (const { dialect, skip } of DIALECTS) {
  describe(`Q&A stories on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let storyId: string;
    let ann: Person;
    let bob: Person;
    let reporter: Person;
    let moderator: Person;
    before(async () => {
      t = await testApp(dialect, { clock, env: { PARLEY_WORKER: "false" } });
      storyId = await resolveStory(t.app);
      ann = await account(t.app, "Ann");
      bob = await account(t.app, "Bob");
      reporter = await account(t.app, "Reporter", "staff");
      moderator = await account(t.app, "Mod", "moderator");
      // A badge from the publisher's sign-in (an SSO claim), shown beside the role's.
      await t.store.db
        .updateTable("users")
        .set({ badges: JSON.stringify(["Reporter"]) })
        .where("id", "=", reporter.id)
        .execute();
    });
    after(() => t.close());

    const list = async (query: string, token?: string) => {
      const res = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/${storyId}/comments?${query}`,
        headers: token ? auth(token) : {},
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as Listed[];
    };

    it("a moderator switches the story to Q&A; a reader cannot", async () => {
      const refused = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/stories/${storyId}`,
        headers: auth(ann.token),
        payload: { mode: "qa" },
      });
      assert.equal(refused.statusCode, 403);
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/stories/${storyId}`,
        headers: auth(moderator.token),
        payload: { mode: "qa" },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().mode, "qa");
      assert.equal((await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` })).json().mode, "qa");
    });

    it("a staff reply answers a question: answered first and marked, with the reporter's badges; readers' replies answer nothing", async () => {
      const first = await post(t.app, ann.token, storyId, "When does the Harbor Road branch reopen?");
      clock.advance(1000);
      const second = await post(t.app, bob.token, storyId, "Who paid for the renovation?");
      clock.advance(1000);
      const third = await post(t.app, bob.token, storyId, "Is the repair café open to everyone?");
      clock.advance(1000);
      await post(t.app, ann.token, storyId, "I think it is in March.", first.id);
      assert.deepEqual(
        (await list("filter=answered")).map((q) => q.id),
        [],
        "a reader's reply answers nothing",
      );

      const waiting = await t.app.inject({
        method: "GET",
        url: "/api/v1/moderation/questions",
        headers: auth(reporter.token),
      });
      assert.equal(waiting.statusCode, 200, waiting.body);
      assert.deepEqual(
        (waiting.json().items as { question: { id: string } }[]).map((i) => i.question.id),
        [first.id, second.id, third.id],
        "unanswered, oldest first",
      );
      assert.equal(
        (await t.app.inject({ method: "GET", url: "/api/v1/moderation/questions", headers: auth(ann.token) }))
          .statusCode,
        403,
      );

      clock.advance(1000);
      const answer = await post(
        t.app,
        reporter.token,
        storyId,
        "The city budget: 2.4 million from capital funds.",
        second.id,
      );
      const ordered = await list("sort=answered");
      assert.deepEqual(
        ordered.map((q) => q.id),
        [second.id, third.id, first.id],
        "answered first, then the newest",
      );
      assert.equal(ordered[0].answered, true);
      assert.equal(ordered[1].answered, undefined);
      const staffReply = ordered[0].replies?.items.find((r) => r.id === answer.id);
      assert.deepEqual(staffReply?.author.badges, ["staff", "Reporter"]);

      assert.deepEqual(
        (await list("filter=answered")).map((q) => q.id),
        [second.id],
      );
      assert.deepEqual(
        (await list("filter=unanswered&sort=oldest")).map((q) => q.id),
        [first.id, third.id],
      );
      const still = await t.app.inject({
        method: "GET",
        url: "/api/v1/moderation/questions",
        headers: auth(reporter.token),
      });
      assert.deepEqual(
        (still.json().items as { question: { id: string } }[]).map((i) => i.question.id),
        [first.id, third.id],
      );

      // The question's answered mark reaches open threads live.
      const events = await t.store.db
        .selectFrom("story_events")
        .selectAll()
        .where("story_id", "=", storyId)
        .where("comment_id", "=", second.id)
        .where("type", "=", "comment.updated")
        .execute();
      assert.equal(events.length, 1);
      assert.equal(JSON.parse(events[0].payload).comment.answered, true);

      // A second answer changes nothing about when it was first answered.
      await post(t.app, moderator.token, storyId, "And the state added a grant.", second.id);
      assert.deepEqual(
        (await list("sort=answered")).map((q) => q.id),
        [second.id, third.id, first.id],
      );
    });

    it("readers upvote questions (a like), and the top order counts them", async () => {
      const [q] = await list("filter=unanswered&sort=oldest");
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/comments/${q.id}/reactions`,
        headers: auth(reporter.token),
        payload: { kind: "like" },
      });
      assert.equal(res.statusCode < 300, true, res.body);
      const top = await list("sort=top");
      assert.equal(top[0].id, q.id);
      assert.equal(top[0].reactions.like, 1);
    });

    it("pages the answered order with keyset cursors", async () => {
      const page1 = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/${storyId}/comments?sort=answered&limit=1`,
      });
      const cursor = page1.json().nextCursor as string;
      const page2 = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/${storyId}/comments?sort=answered&limit=5&cursor=${cursor}`,
      });
      assert.equal(page2.statusCode, 200, page2.body);
      assert.equal(page2.json().items.length, 2);
      const wrong = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/${storyId}/comments?sort=newest&cursor=${cursor}`,
      });
      assert.equal(wrong.statusCode, 400);
    });
  });
}
