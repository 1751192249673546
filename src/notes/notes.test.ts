import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, testApp } from "../../test/helpers.js";
import { account } from "../../test/notifications.js";

type Person = Awaited<ReturnType<typeof account>>;
const ARTICLE = "The council voted on Tuesday to close the Riverside library on Sundays from March.";

/** Issue 20 item 4: reader context notes, shown only when readers who usually disagree find them helpful. */
for (const { dialect, skip } of DIALECTS) {
  describe(`reader context notes on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let storyId: string;
    let writer: Person;
    let newcomer: Person;
    let admin: Person;
    let moderator: Person;
    const left: Person[] = [];
    const right: Person[] = [];

    before(async () => {
      t = await testApp(dialect, { clock, env: { PARLEY_WORKER: "false" } });
      storyId = await resolveStory(t.app);
      await t.store.db.updateTable("stories").set({ body_text: ARTICLE }).where("id", "=", storyId).execute();
      writer = await account(t.app, "Wren");
      newcomer = await account(t.app, "Nell");
      admin = await account(t.app, "Ada", "admin");
      moderator = await account(t.app, "Mo", "moderator");
      for (let i = 0; i < 3; i++) await post(t.app, writer.token, storyId, `Wren's comment number ${i + 1} on the library hours.`);
      // Two camps of readers who rate each other's comments down and their own up: the divide the model learns.
      for (let i = 0; i < 12; i++) {
        left.push(await account(t.app, `Left${i}`));
        right.push(await account(t.app, `Right${i}`));
      }
      const comments: Array<{ id: string; side: "left" | "right" }> = [];
      for (const [side, people] of [["left", left], ["right", right]] as const) {
        for (const [i, p] of people.entries()) {
          const c = await post(t.app, p.token, storyId, `A ${side} view, number ${i + 1}: the library ${side === "left" ? "needs Sundays" : "costs too much on Sundays"}.`);
          comments.push({ id: c.id, side });
        }
      }
      const now = clock.now();
      const rows = [];
      for (const [side, people] of [["left", left], ["right", right]] as const) {
        for (const p of people) {
          for (const c of comments) {
            rows.push({ comment_id: c.id, user_id: p.id, site_id: "default", value: c.side === side ? 1 : 0, created_at: now, updated_at: now });
          }
        }
      }
      await t.store.db.insertInto("ratings").values(rows).execute();
    });
    after(() => t.close());

    const write = (token: string, body: object) =>
      t.app.inject({ method: "POST", url: `/api/v1/stories/${storyId}/notes`, headers: auth(token), payload: body });
    const rate = (token: string, id: string, value: string) =>
      t.app.inject({ method: "PUT", url: `/api/v1/notes/${id}/rating`, headers: auth(token), payload: { value } });
    const list = async (token?: string) => {
      const res = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/notes`, headers: token ? auth(token) : {} });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { shown: Array<{ id: string; viewerRating?: string }>; pending: Array<{ id: string; viewerRating?: string }> };
    };
    const SOURCE = "https://council.example/minutes/2026-11-17";

    it("refuses bad notes with clear errors and changes nothing", async () => {
      const noHistory = await write(newcomer.token, { body: "Context.", sources: [SOURCE] });
      assert.equal(noHistory.statusCode, 403);
      assert.match(noHistory.json().error.message, /3 published comments/);
      const noSource = await write(writer.token, { body: "The vote was 7 to 2.", sources: [] });
      assert.equal(noSource.statusCode, 400);
      assert.match(noSource.json().error.message, /at least one source/);
      const badSource = await write(writer.token, { body: "The vote was 7 to 2.", sources: ["javascript:alert(1)"] });
      assert.equal(badSource.statusCode, 400);
      const notInArticle = await write(writer.token, { body: "It was Monday.", quote: { text: "voted on Wednesday" }, sources: [SOURCE] });
      assert.equal(notInArticle.json().error.code, "QUOTE_NOT_FOUND");
      const anonymous = await t.app.inject({ method: "POST", url: `/api/v1/stories/${storyId}/notes`, payload: { body: "x", sources: [SOURCE] } });
      assert.equal(anonymous.statusCode, 401);
      const count = await t.store.db.selectFrom("notes").select(({ fn }) => fn.countAll().as("n")).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });

    let accurate = "";
    let partisan = "";
    it("a reader with history writes notes on the story and on a quoted passage", async () => {
      const res = await write(writer.token, {
        body: "The minutes show the vote was 7 to 2, and Sunday hours end on 1 March.",
        quote: { text: "close the Riverside library on Sundays" },
        sources: [SOURCE, SOURCE],
      });
      assert.equal(res.statusCode, 201, res.body);
      const note = res.json().note;
      assert.equal(note.status, "needs_ratings");
      assert.deepEqual(note.sources, [SOURCE], "a source given twice is kept once");
      assert.equal(note.quote.text, "close the Riverside library on Sundays");
      accurate = note.id;
      const other = await write(writer.token, { body: "The council wastes money on every library it runs.", sources: ["https://opinion.example/libraries"] });
      assert.equal(other.statusCode, 201, other.body);
      partisan = other.json().note.id;
    });

    it("ratings: not one's own note, not without history, changeable, shown to the rater", async () => {
      assert.equal((await rate(writer.token, accurate, "helpful")).statusCode, 403);
      assert.equal((await rate(newcomer.token, accurate, "helpful")).statusCode, 403);
      assert.equal((await rate(left[0].token, accurate, "not_helpful")).statusCode, 200);
      const again = await rate(left[0].token, accurate, "somewhat_helpful");
      assert.deepEqual(again.json(), { noteId: accurate, rating: "somewhat_helpful" });
      const seen = await list(left[0].token);
      assert.equal(seen.pending.find((n) => n.id === accurate)?.viewerRating, "somewhat_helpful");
      const anonymous = await list();
      assert.deepEqual(anonymous, { shown: [], pending: [] }, "a note is not on the article before the model shows it");
      assert.deepEqual((await list(newcomer.token)).pending, [], "readers who may not rate see no pending notes");
    });

    it("shows the note both camps find helpful, never the one only one camp likes, and says so live", async () => {
      for (const p of [...left, ...right]) {
        assert.equal((await rate(p.token, accurate, "helpful")).statusCode, 200);
        assert.equal((await rate(p.token, partisan, left.includes(p) ? "helpful" : "not_helpful")).statusCode, 200);
      }
      const refit = await t.app.inject({ method: "POST", url: "/api/v1/admin/bridging/refit", headers: auth(admin.token) });
      assert.equal(refit.statusCode, 200, refit.body);
      assert.equal(refit.json().sites[0].notesShown, 1);
      const anonymous = await list();
      assert.deepEqual(anonymous.shown.map((n) => n.id), [accurate]);
      const rows = await t.store.db.selectFrom("notes").select(["id", "status"]).execute();
      assert.notEqual(rows.find((r) => r.id === partisan)?.status, "helpful");
      const events = await t.store.db.selectFrom("story_events").select(["type", "payload"]).where("story_id", "=", storyId).where("type", "=", "note.updated").execute();
      assert.equal(events.length, 1);
      assert.equal(JSON.parse(events[0].payload).noteId, accurate);
    });

    it("moderators decide notes the pipeline held", async () => {
      // The site pre-moderates everything for a moment: the note runs through the same phases as a comment.
      const settings = (premod: boolean) =>
        t.app.inject({ method: "PATCH", url: "/api/v1/admin/settings", headers: auth(admin.token), payload: { moderation: { premod: { site: premod } } } });
      assert.equal((await settings(true)).statusCode, 200);
      const held = await write(writer.token, { body: "The library's Sunday visitors were counted in 2025.", sources: [SOURCE] });
      await settings(false);
      assert.equal(held.statusCode, 201, held.body);
      assert.equal(held.json().note.moderation, "pending");
      const queue = await t.app.inject({ method: "GET", url: "/api/v1/moderation/notes", headers: auth(moderator.token) });
      assert.deepEqual(queue.json().items.map((n: { id: string }) => n.id), [held.json().note.id]);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/moderation/notes", headers: auth(writer.token) })).statusCode, 403);
      const decided = await t.app.inject({
        method: "POST",
        url: `/api/v1/moderation/notes/${held.json().note.id}/decision`,
        headers: auth(moderator.token),
        payload: { action: "reject" },
      });
      assert.equal(decided.json().note.moderation, "rejected");
      assert.equal((await rate(left[1].token, held.json().note.id, "helpful")).statusCode, 404);
    });
  });
}
