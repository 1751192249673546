import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, signup, testApp } from "../../test/helpers.js";

const HOUR = 3_600_000;

for (const { dialect, skip } of DIALECTS) {
  describe(`a moderator's own day on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let mona: { token: string; id: string };
    let milo: { token: string; id: string };
    const myDay = (token: string, since?: string) =>
      t.app.inject({
        method: "GET",
        url: `/api/v1/moderation/my-day${since ? `?since=${encodeURIComponent(since)}` : ""}`,
        headers: auth(token),
      });

    before(async () => {
      t = await testApp(dialect, { clock });
      mona = await signup(t.app, "Mona Moderator");
      milo = await signup(t.app, "Milo Moderator");
      await t.store.db.updateTable("users").set({ role: "moderator" }).where("id", "in", [mona.id, milo.id]).execute();
    });
    after(() => t.close());

    it("counts only my decisions since my midnight, and lists what has waited longest with names and titles", async () => {
      const story = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/resolve?url=${encodeURIComponent("https://news.example/ferry")}&title=Ferry%20timetable%20changes`,
      });
      const storyId = story.json().id as string;
      // An unsigned page's title is not taken; the newsroom names the story.
      const titled = await t.app.inject({ method: "PATCH", url: `/api/v1/stories/${storyId}`, headers: auth(mona.token), payload: { title: "Ferry timetable changes" } });
      assert.equal(titled.statusCode, 200);
      const pat = await signup(t.app, "Pat Passenger");
      await t.store.db.updateTable("users").set({ premod: 1 }).where("id", "=", pat.id).execute();
      const held: string[] = [];
      for (let i = 0; i < 5; i++) {
        held.push((await post(t.app, pat.token, storyId, `Held comment number ${i} about the **ferry**.`)).id);
        clock.advance(HOUR);
      }
      const decide = (token: string, id: string, action: "approve" | "reject") =>
        t.app.inject({
          method: "POST",
          url: `/api/v1/moderation/comments/${id}/decision`,
          headers: auth(token),
          payload: { action },
        });
      await decide(mona.token, held[0], "approve");
      await decide(mona.token, held[1], "reject");
      await decide(milo.token, held[2], "approve");
      const midnight = new Date(clock.now() - 2 * HOUR).toISOString();
      clock.advance(HOUR);

      const res = await myDay(mona.token, midnight);
      assert.equal(res.statusCode, 200, res.body);
      const day = res.json();
      assert.deepEqual([day.approved, day.rejected], [1, 1]);
      assert.deepEqual(
        day.waitingLongest.map((w: { commentId: string }) => w.commentId),
        [held[3], held[4]],
      );
      assert.deepEqual(
        {
          author: day.waitingLongest[0].authorName,
          story: day.waitingLongest[0].storyTitle,
          excerpt: day.waitingLongest[0].excerpt,
        },
        {
          author: "Pat Passenger",
          story: "Ferry timetable changes",
          excerpt: "Held comment number 3 about the ferry.",
        },
      );
      // A later midnight leaves the earlier decisions out; one far back is cut to two days.
      const later = (await myDay(mona.token, new Date(clock.now() - 1000).toISOString())).json();
      assert.deepEqual([later.approved, later.rejected], [0, 0]);
      const far = (await myDay(mona.token, "2020-01-01T00:00:00Z")).json();
      assert.equal(Date.parse(far.since), clock.now() - 48 * HOUR);
      assert.equal((await myDay(pat.token)).statusCode, 403);
    });
  });
}
