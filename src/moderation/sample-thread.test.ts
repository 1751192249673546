import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, signup, testApp } from "../../test/helpers.js";
import { SHARED_THREAD_SKIP, sampleThread, sharedSampleThread } from "../../test/shared.js";

const THREADS = [
  { name: "the repository's sample thread", thread: sampleThread(), missing: false as const },
  { name: "the research sample thread", thread: sharedSampleThread(), missing: SHARED_THREAD_SKIP },
];

for (const { dialect, skip } of DIALECTS) for (const { name, thread: fixture, missing } of THREADS) {
  describe(`${name} through the whole pipeline on ${dialect}`, { skip: skip || missing }, () => {
    let t: TestApp;
    const clock = manualClock();
    // Every phase at its defaults, rate limits included: the clock moves 6 s between posts.
    before(async () => (t = await testApp(dialect, { clock, moderation: {} })));
    after(() => t.close());

    it("publishes the useful comments, holds the abusive ones and refuses the empty, duplicate and over-long", async () => {
      const storyRes = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/resolve?url=${encodeURIComponent("https://news.example/bus-lanes")}`,
      });
      const storyId = storyRes.json().id;
      const tokens = new Map<string, string>();
      const ids = new Map<number, string>();
      const outcomes: string[] = [];
      for (const c of fixture?.comments ?? []) {
        clock.advance(6_000);
        if (!tokens.has(c.author))
          tokens.set(c.author, (await signup(t.app, c.author.replace(/_/g, " ").padEnd(2, "x"))).token);
        const parentId = c.parent ? ids.get(c.parent) : undefined;
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/stories/${storyId}/comments`,
          headers: auth(tokens.get(c.author) ?? ""),
          payload: { body: c.body, ...(parentId ? { parentId } : {}) },
        });
        let got: string;
        if (res.statusCode === 201) {
          const comment = res.json().comment;
          ids.set(c.n, comment.id);
          got = comment.status === "pending" ? "held" : comment.status;
        } else {
          assert.ok(res.statusCode >= 400 && res.statusCode < 500, `#${c.n}: ${res.statusCode}`);
          assert.match(res.json().error.code, /^[A-Z_]+$/);
          got = "rejected";
        }
        outcomes.push(
          `#${c.n} ${c.expect === got ? "ok" : `expected ${c.expect}, got ${got}`} (${c.why ?? c.body.slice(0, 30)}) ${res.statusCode !== 201 ? res.json().error.code : ""}`,
        );
      }
      const wrong = outcomes.filter((o) => !/^#\d+ ok/.test(o));
      assert.deepEqual(wrong, [], outcomes.join("\n"));
      const story = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` });
      const published = (fixture?.comments ?? []).filter((c) => c.expect === "published").length;
      assert.equal(story.json().commentCount, published);
    });
  });
}
