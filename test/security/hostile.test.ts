import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { normaliseDisplayName } from "../../src/accounts/profiles.js";
import { normaliseText } from "../../src/comments/text.js";
import { AppError } from "../../src/errors.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { DIALECTS, type TestApp, auth, post, postComment, resolveStory, signup, testApp } from "../helpers.js";
import { allowlistViolations } from "./allowlist.js";
import { type Hostile, corporaSkip, hostileStrings } from "./corpora.js";

/** What the product's rule makes of `raw`, or null when the rule refuses it (then a 4xx is the only right answer). */
function expected(rule: (raw: string) => string, raw: string): string | null {
  try {
    return rule(raw);
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return null;
    throw error;
  }
}

function refusedCleanly(res: LightMyRequestResponse, what: string): void {
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  assert.equal(typeof res.json().error?.code, "string", `${what}: the one error shape`);
}

const label = (h: Hostile, i: number) => `${h.source} #${i} ${JSON.stringify(h.text.slice(0, 60))}`;

for (const { dialect, skip } of DIALECTS) {
  describe(`hostile input on ${dialect}`, { skip: skip || corporaSkip }, () => {
    let t: TestApp;
    let strings: Hostile[];
    let storyId: string;
    before(async () => {
      t = await testApp(dialect);
      // Many readers report the same targets here; holding them would end the test's reports early.
      await changeModerationSettings(t.app.deps, DEFAULT_SITE_ID, { reportThreshold: 1000 });
      strings = hostileStrings();
      storyId = await resolveStory(t.app);
    });
    after(() => t.close());

    it("stores every comment body exactly as normalised (or refuses it) and renders only allowlisted HTML", async () => {
      const author = await signup(t.app, "Hostile Author");
      let stored = 0;
      for (const [i, h] of strings.entries()) {
        const want = expected((raw) => normaliseText(raw), h.text);
        const res = await postComment(t.app, author.token, storyId, { body: h.text });
        if (res.statusCode !== 201) {
          refusedCleanly(res, label(h, i));
          continue;
        }
        stored++;
        assert.notEqual(want, null, `${label(h, i)} was accepted although normalising refuses it`);
        const id = res.json<{ comment: { id: string } }>().comment.id;
        const row = await t.store.db.selectFrom("comments").select(["body", "body_html"]).where("id", "=", id).executeTakeFirstOrThrow();
        assert.equal(row.body, want, `${label(h, i)}: stored source`);
        assert.deepEqual(allowlistViolations(row.body_html), [], `${label(h, i)}: rendered ${row.body_html.slice(0, 300)}`);
        assert.equal(res.json().comment.bodyHtml, row.body_html);
      }
      assert.ok(stored > strings.length * 0.9, `most hostile strings are stored as comments (${stored} of ${strings.length})`);
      // Reads render from the stored HTML: one page of the thread must pass the same check.
      const page = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}/comments?limit=50` });
      for (const c of page.json<{ items: { bodyHtml: string }[] }>().items) assert.deepEqual(allowlistViolations(c.bodyHtml), []);
    });

    it("stores every display name as the name rule makes it, or refuses it", async () => {
      const reader = await signup(t.app, "Renamed Reader");
      let stored = 0;
      for (const [i, h] of strings.entries()) {
        const want = expected(normaliseDisplayName, h.text);
        const res = await t.app.inject({ method: "PATCH", url: "/api/v1/me", headers: auth(reader.token), payload: { displayName: h.text } });
        if (res.statusCode !== 200) {
          refusedCleanly(res, label(h, i));
          continue;
        }
        stored++;
        const row = await t.store.db.selectFrom("users").select("display_name").where("id", "=", reader.id).executeTakeFirstOrThrow();
        assert.equal(row.display_name, want, `${label(h, i)}: stored name`);
        assert.equal(res.json().user.displayName, want);
      }
      assert.ok(stored > strings.length * 0.5, `many names are stored (${stored} of ${strings.length})`);
    });

    it("stores every report note exactly as normalised (or refuses it)", async () => {
      const author = await signup(t.app, "Reported Author");
      const reporters = await Promise.all(Array.from({ length: 8 }, (_, i) => signup(t.app, `Reporter ${i}`)));
      const reportStory = await resolveStory(t.app);
      const targets: string[] = [];
      for (let i = 0; targets.length * reporters.length < strings.length; i++) {
        targets.push((await post(t.app, author.token, reportStory, `A plain comment to report, number ${i}.`)).id);
      }
      let stored = 0;
      for (const [i, h] of strings.entries()) {
        const want = expected((raw) => normaliseText(raw).trim() || "", h.text);
        const reporter = reporters[i % reporters.length];
        const target = targets[Math.floor(i / reporters.length)];
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/comments/${target}/reports`,
          headers: auth(reporter.token),
          payload: { reason: "other", note: h.text },
        });
        if (res.statusCode >= 300) {
          refusedCleanly(res, label(h, i));
          continue;
        }
        stored++;
        assert.notEqual(want, null, `${label(h, i)} was accepted although normalising refuses it`);
        const row = await t.store.db
          .selectFrom("reports")
          .select("note")
          .where("comment_id", "=", target)
          .where("reporter_id", "=", reporter.id)
          .executeTakeFirstOrThrow();
        assert.equal(row.note, want || null, `${label(h, i)}: stored note`);
      }
      assert.ok(stored > strings.length * 0.9, `most notes are stored (${stored} of ${strings.length})`);
    });
  });
}
