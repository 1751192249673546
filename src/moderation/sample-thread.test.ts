import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ROOT } from "../paths.js";
import { DIALECTS, type TestApp, auth, manualClock, signup, testApp } from "../../test/helpers.js";

interface SampleComment {
  n: number;
  author: string;
  parent: number | null;
  body: string;
  expect: "published" | "held" | "rejected";
  why?: string;
}

const FIXTURE = join(ROOT, "..", "shared", "fixtures", "sample-thread.json");
const fixture = existsSync(FIXTURE)
  ? (JSON.parse(readFileSync(FIXTURE, "utf8")) as { comments: SampleComment[] })
  : null;
const missing = fixture ? false : `the sample thread is not at ${FIXTURE}`;

for (const { dialect, skip } of DIALECTS) {
  describe(`the sample news thread through the whole pipeline on ${dialect}`, { skip: skip || missing }, () => {
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
