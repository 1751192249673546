import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, resolveStory, testApp } from "../../test/helpers.js";
import { account } from "../../test/notifications.js";
import { HANDLERS } from "../notifications/handlers.js";
import { OutboxWorker } from "../notifications/worker.js";

type Person = Awaited<ReturnType<typeof account>>;

const ARTICLE = "The convoy was filmed on Tuesday near the border. Officials said the trucks carried aid.";

for (const { dialect, skip } of DIALECTS) {
  describe(`corrections on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let worker: OutboxWorker;
    const clock = manualClock();
    let storyId: string;
    let ann: Person;
    let bob: Person;
    let editor: Person;
    before(async () => {
      t = await testApp(dialect, { clock, env: { PARLEY_WORKER: "false" } });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
      storyId = await resolveStory(t.app);
      await t.store.db.updateTable("stories").set({ body_text: ARTICLE }).where("id", "=", storyId).execute();
      ann = await account(t.app, "Ann");
      bob = await account(t.app, "Bob");
      editor = await account(t.app, "Editor", "staff");
    });
    after(async () => {
      await worker.stop();
      await t.close();
    });

    const suggest = (token: string, payload: Record<string, unknown>, key?: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/stories/${storyId}/corrections`,
        headers: { ...auth(token), ...(key ? { "idempotency-key": key } : {}) },
        payload,
      });
    const decide = (token: string, id: string, action: "accept" | "decline", note: string, key?: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/moderation/corrections/${id}/decision`,
        headers: { ...auth(token), ...(key ? { "idempotency-key": key } : {}) },
        payload: { action, note },
      });
    const queue = async (token: string, status = "open") => {
      const res = await t.app.inject({
        method: "GET",
        url: `/api/v1/moderation/corrections?status=${status}&storyId=${storyId}`,
        headers: auth(token),
      });
      return res;
    };

    it("refuses a passage that is not in the article, and evidence that is not a web link", async () => {
      const missing = await suggest(ann.token, { body: "It was Monday.", quote: { text: "filmed on Friday" } });
      assert.equal(missing.statusCode, 422);
      assert.equal(missing.json().error.code, "QUOTE_NOT_FOUND");
      for (const evidenceUrl of ["javascript:alert(1)", "ftp://archive.example/x", "not a link"]) {
        const bad = await suggest(ann.token, { body: "It was Monday.", evidenceUrl });
        assert.equal(bad.statusCode, 400, evidenceUrl);
        assert.equal(bad.json().error.code, "INVALID_URL");
      }
      const anonymous = await t.app.inject({
        method: "POST",
        url: `/api/v1/stories/${storyId}/corrections`,
        payload: { body: "x" },
      });
      assert.equal(anonymous.statusCode, 401);
    });

    it("refuses what the moderation phases refuse: an empty explanation", async () => {
      const empty = await suggest(ann.token, { body: "   " });
      assert.equal(empty.statusCode, 400);
      assert.equal(empty.json().error.code, "COMMENT_EMPTY");
    });

    it("groups suggestions on the same passage; the newsroom accepts them together, the story and its readers hear", async () => {
      const first = await suggest(
        ann.token,
        {
          body: "The video is from 2014: the same convoy is in an archived report.",
          quote: { text: "filmed on  Tuesday" },
          evidenceUrl: "https://archive.example/2014/convoy",
        },
        "k1",
      );
      assert.equal(first.statusCode, 201, first.body);
      const again = await suggest(
        ann.token,
        {
          body: "The video is from 2014: the same convoy is in an archived report.",
          quote: { text: "filmed on  Tuesday" },
          evidenceUrl: "https://archive.example/2014/convoy",
        },
        "k1",
      );
      assert.equal(again.json().correction.id, first.json().correction.id, "the same key creates nothing twice");
      clock.advance(1000);
      const second = await suggest(bob.token, {
        body: "Old footage, see the 2014 report.",
        quote: { text: "filmed on Tuesday\n" },
      });
      assert.equal(second.statusCode, 201, second.body);
      const correction = first.json().correction;
      assert.equal(correction.status, "open");
      assert.deepEqual(correction.quote, { text: "filmed on Tuesday" });

      assert.equal((await queue(ann.token)).statusCode, 403, "a reader does not see the queue");
      const desk = await queue(editor.token);
      assert.equal(desk.statusCode, 200, desk.body);
      const items = desk.json().items as {
        id: string;
        group: { key: string; size: number };
        reader: { displayName: string };
        readerHistory: unknown;
        evidenceUrl?: string;
      }[];
      assert.equal(items.length, 2);
      assert.equal(items[0].group.key, items[1].group.key);
      assert.equal(items[0].group.size, 2);
      assert.equal(items[0].reader.displayName, ann.name);
      assert.equal(items[0].evidenceUrl, "https://archive.example/2014/convoy");
      assert.deepEqual(items[0].readerHistory, { published: 0, held: 0, rejected: 0, correctionsAccepted: 0 });

      const byReader = await decide(bob.token, correction.id, "accept", "I say so");
      assert.equal(byReader.statusCode, 403);
      assert.equal(byReader.json().error.code, "FORBIDDEN");
      const noNote = await decide(editor.token, correction.id, "accept", "  ");
      assert.equal(noNote.statusCode, 400);

      clock.advance(1000);
      const accepted = await decide(
        editor.token,
        correction.id,
        "accept",
        "An earlier version said the video was filmed on Tuesday; it dates from 2014.",
      );
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.equal(accepted.json().correction.status, "accepted");
      assert.equal((await decide(editor.token, correction.id, "decline", "")).statusCode, 409);
      const rest = await queue(editor.token);
      assert.equal(rest.json().items.length, 0, "the group was decided together");

      const story = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` });
      const corrections = story.json().corrections as {
        id: string;
        note: string;
        quote?: { text: string };
        acceptedAt: string;
      }[];
      assert.equal(corrections.length, 1);
      assert.equal(corrections[0].id, correction.id);
      assert.match(corrections[0].note, /dates from 2014/);
      assert.deepEqual(corrections[0].quote, { text: "filmed on Tuesday" });

      const events = await t.store.db
        .selectFrom("story_events")
        .selectAll()
        .where("story_id", "=", storyId)
        .where("type", "=", "story.corrected")
        .execute();
      assert.equal(events.length, 1);
      assert.equal(JSON.parse(events[0].payload).correction.id, correction.id);
      assert.equal(events[0].audience, null);

      const log = await t.store.db
        .selectFrom("moderation_actions")
        .selectAll()
        .where("action", "=", "story.correct")
        .execute();
      assert.equal(log.length, 1);

      await worker.drain();
      await worker.drain();
      for (const reader of [ann, bob]) {
        const inbox = await t.app.inject({
          method: "GET",
          url: "/api/v1/me/notifications",
          headers: auth(reader.token),
        });
        const kinds = (inbox.json().items as { kind: string; message: string | null }[]).filter(
          (n) => n.kind === "correction",
        );
        assert.equal(kinds.length, 1, reader.name);
        assert.match(kinds[0].message ?? "", /dates from 2014/);
      }
    });

    it("declines with a private reason that readers never see", async () => {
      const res = await suggest(ann.token, { body: "The aid was weapons.", quote: { text: "the trucks carried aid" } });
      const id = res.json().correction.id as string;
      const declined = await decide(editor.token, id, "decline", "No evidence; the manifest was published.", "d1");
      assert.equal(declined.statusCode, 200);
      const retried = await decide(editor.token, id, "decline", "No evidence; the manifest was published.", "d1");
      assert.equal(retried.statusCode, 200, "a retry with the same key answers as the first time");
      assert.deepEqual(retried.json(), declined.json());
      assert.equal(declined.json().correction.status, "declined");
      assert.equal(declined.json().correction.declineReason, undefined);
      assert.doesNotMatch(declined.body, /manifest/);
      const desk = await queue(editor.token, "declined");
      assert.equal(desk.json().items[0].declineReason, "No evidence; the manifest was published.");
      const story = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` });
      assert.equal(story.json().corrections.length, 1);
    });

    it("pages the queue with keyset cursors, and refuses another list's cursor", async () => {
      const first = await t.app.inject({
        method: "GET",
        url: "/api/v1/moderation/corrections?status=accepted&limit=1",
        headers: auth(editor.token),
      });
      const cursor = first.json().nextCursor as string;
      assert.ok(cursor);
      const second = await t.app.inject({
        method: "GET",
        url: `/api/v1/moderation/corrections?status=accepted&limit=1&cursor=${cursor}`,
        headers: auth(editor.token),
      });
      assert.equal(second.statusCode, 200, second.body);
      assert.notEqual(second.json().items[0].id, first.json().items[0].id);
      const elsewhere = await t.app.inject({
        method: "GET",
        url: `/api/v1/moderation/questions?cursor=${cursor}`,
        headers: auth(editor.token),
      });
      assert.equal(elsewhere.statusCode, 400);
      assert.equal(elsewhere.json().error.code, "INVALID_CURSOR");
    });

    it("takes any passage on a story whose text Parley does not have", async () => {
      await t.store.db.updateTable("stories").set({ body_text: null }).where("id", "=", storyId).execute();
      const res = await suggest(ann.token, { body: "The headline misspells the town.", quote: { text: "Kyiv" } });
      assert.equal(res.statusCode, 201, res.body);
    });
  });
}
