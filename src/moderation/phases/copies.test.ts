import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DIALECTS,
  type TestApp,
  manualClock,
  post,
  postComment,
  resolveStory,
  signup,
  testApp,
} from "../../../test/helpers.js";

const SPAM =
  "Earn four hundred dollars a day from home with this simple trick the banks do not want you to know about, message me now";
/** The audit's swaps: a different set of Cyrillic о and е in each copy. */
function swapped(text: string, k: number): string {
  let seen = 0;
  return text.replace(/[oe]/g, (ch) => {
    seen++;
    if ((seen + k) % (k + 2) !== 0) return ch;
    return ch === "o" ? "\u043e" : "\u0435";
  });
}

for (const { dialect, skip } of DIALECTS) {
  describe(`copies of other readers' comments on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    // Every phase at its defaults.
    before(async () => (t = await testApp(dialect, { clock, moderation: {} })));
    after(() => t.close());
    const reasonsOf = async (id: string) => {
      const row = await t.store.db
        .selectFrom("comments")
        .select("reasons")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      return JSON.parse(row.reasons ?? "[]") as Array<{
        code: string;
        message?: string;
        details?: Record<string, string>;
      }>;
    };

    it("holds every copy after the first, whatever look-alike letters each account swapped in", async () => {
      const storyId = await resolveStory(t.app);
      const statuses: string[] = [];
      let first = "";
      for (let k = 0; k < 8; k++) {
        clock.advance(6_000);
        const account = await signup(t.app, `Seller ${k}`);
        const text = k === 0 ? SPAM : swapped(SPAM, k);
        if (k > 0) assert.notEqual(text, SPAM, "each copy has swapped letters");
        const comment = await post(t.app, account.token, storyId, text);
        statuses.push(comment.status);
        if (k === 0) {
          first = comment.id;
          assert.equal(
            (await reasonsOf(first)).find((r) => r.code === "COPY_OF_ANOTHER_READER"),
            undefined,
          );
        } else {
          const copy = (await reasonsOf(comment.id)).find((r) => r.code === "COPY_OF_ANOTHER_READER");
          assert.equal(copy?.details?.originalCommentId, first, "the reason names the original");
          assert.match(copy?.message ?? "", /Seller 0/);
        }
      }
      // The first may be held too, for reading like spam; that is the scorer's call, not a copy.
      assert.deepEqual(statuses.slice(1), Array(7).fill("pending"));
    });

    it("does not publish the same account's repeat with swapped letters", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann");
      clock.advance(6_000);
      const text =
        "The new timetable moves the last bus from midnight to eleven, which strands the night shift at the hospital.";
      assert.equal((await post(t.app, ann.token, storyId, text)).status, "published");
      clock.advance(6_000);
      const again = await postComment(t.app, ann.token, storyId, { body: swapped(text, 3) });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, "DUPLICATE_COMMENT");
    });

    it("holds a near copy from another account days later, on the same story only", async () => {
      const storyId = await resolveStory(t.app);
      const other = await resolveStory(t.app);
      const text =
        "The council approved the bus lane on Main Street after a two hour debate, and the mayor voted against it twice.";
      clock.advance(6_000);
      await post(t.app, (await signup(t.app, "Reporter fan")).token, storyId, text);
      clock.advance(3 * 24 * 3600_000);
      const copier = await signup(t.app, "Copier");
      const near = await post(t.app, copier.token, storyId, `${text.replace("two hour", "two-hour")} Agreed!`);
      assert.equal(near.status, "pending");
      clock.advance(6_000);
      const elsewhere = await signup(t.app, "Elsewhere");
      assert.equal((await post(t.app, elsewhere.token, other, text)).status, "published", "another story");
    });

    it("does not take comments that cite different numbers for copies, however alike their words", async () => {
      const storyId = await resolveStory(t.app);
      for (const n of [1, 2, 3, 12]) {
        clock.advance(6_000);
        const reader = await signup(t.app, `Counter ${n}`);
        const comment = await post(t.app, reader.token, storyId, `Comment ${n} on the story: the council vote and the bus lanes on Harbour Road.`);
        assert.equal(comment.status, "published", `comment ${n}`);
      }
    });

    it("publishes short replies many readers write, quotes and manual > quotes with an answer", async () => {
      const storyId = await resolveStory(t.app);
      const original =
        "Bus lanes cut the commute on Route 9 by eleven minutes according to the transit authority's own survey last spring.";
      clock.advance(6_000);
      const first = await post(t.app, (await signup(t.app, "Planner")).token, storyId, original);
      for (const [k, body] of ["Thanks for the reporting.", "Agreed, well said."].entries()) {
        for (const name of [`Reader ${k}a`, `Reader ${k}b`]) {
          clock.advance(6_000);
          assert.equal((await post(t.app, (await signup(t.app, name)).token, storyId, body)).status, "published");
        }
      }
      clock.advance(6_000);
      const quoter = await signup(t.app, "Quoter");
      const quoted = await postComment(t.app, quoter.token, storyId, {
        body: "That survey asked riders only, not drivers, so it cannot tell us about total traffic.",
        quote: { source: "comment", commentId: first.id, text: original },
      });
      assert.equal(quoted.statusCode, 201, quoted.body);
      assert.equal(quoted.json().comment.status, "published");
      clock.advance(6_000);
      const manual = await post(
        t.app,
        (await signup(t.app, "Manual quoter")).token,
        storyId,
        `> ${original}\n\nEleven minutes is an average; the peak-hour saving was much smaller, as the same survey shows.`,
      );
      assert.equal(manual.status, "published");
    });
  });
}
