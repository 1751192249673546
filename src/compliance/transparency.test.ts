import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, RELAXED_FOR_TESTS, type TestApp, auth, manualClock, post, resolveStory, testApp } from "../../test/helpers.js";
import { account, startSmtp } from "../../test/notifications.js";
import { checkBacklogs } from "../moderation/backlog.js";
import { changeModerationSettings } from "../moderation/settings.js";
import { HANDLERS } from "../notifications/handlers.js";
import { OutboxWorker } from "../notifications/worker.js";
import { DEFAULT_SITE_ID } from "../site/service.js";

const MINUTE = 60_000;

/** EU DSA Art. 15 and 24: the transparency report; the desk's per-moderator numbers and the backlog alert. */
for (const { dialect, skip } of DIALECTS) {
  describe(`transparency and moderation operations on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let worker: OutboxWorker;
    const start = Date.parse("2026-12-02T08:00:00Z");
    const clock = manualClock(start);
    let storyId: string;
    let author: Awaited<ReturnType<typeof account>>;
    let first: Awaited<ReturnType<typeof account>>;
    let second: Awaited<ReturnType<typeof account>>;
    let admin: Awaited<ReturnType<typeof account>>;

    const call = (method: "GET" | "POST", url: string, token: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth(token), ...(payload ? { payload } : {}) });
    const decide = async (token: string, commentId: string, action: "approve" | "reject", code = "offensive") => {
      const res = await call("POST", `/api/v1/moderation/comments/${commentId}/decision`, token, {
        action,
        ...(action === "reject" ? { reason: { code, ...(code === "illegal-content" ? { text: "§ 130 StGB" } : {}) } } : {}),
      });
      assert.equal(res.statusCode, 200, res.body);
    };

    before(async () => {
      smtp = await startSmtp();
      t = await testApp(dialect, {
        clock,
        moderation: RELAXED_FOR_TESTS,
        env: { PARLEY_WORKER: "false", SMTP_HOST: "127.0.0.1", SMTP_PORT: String(smtp.port), MAIL_FROM: "Parley <no-reply@parley.test>" },
      });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
      storyId = await resolveStory(t.app, "/2026/12/transparency");
      author = await account(t.app, "Reported author");
      first = await account(t.app, "Morgan First", "moderator");
      second = await account(t.app, "Sasha Second", "moderator");
      admin = await account(t.app, "Ada Admin", "admin");
    });
    after(async () => {
      await worker.stop();
      await t.close();
      await smtp.close();
    });

    it("counts notices, reports, decisions by ground and reason, times to decision, appeals and reversals; as JSON and CSV", async () => {
      const illegal = await post(t.app, author.token, storyId, "A comment breaking the law.");
      const rude = await post(t.app, author.token, storyId, "A rude comment.");
      const kept = await post(t.app, author.token, storyId, "A fine comment someone reported.");
      const reader = await account(t.app, "Reporting reader");
      assert.equal((await call("POST", `/api/v1/comments/${kept.id}/reports`, reader.token, { reason: "spam" })).statusCode, 201);
      const n = await t.app.inject({ method: "POST", url: "/api/v1/notices", payload: { commentId: illegal.id, law: "§ 130 StGB", explanation: "Incitement.", goodFaith: true } });
      assert.equal(n.statusCode, 201, n.body);
      clock.advance(10 * MINUTE);
      await decide(first.token, illegal.id, "reject", "illegal-content");
      clock.advance(10 * MINUTE);
      await decide(first.token, rude.id, "reject", "offensive");
      await decide(second.token, kept.id, "approve");
      const statement = (await call("GET", "/api/v1/me/decisions", author.token)).json<{ items: { id: string; commentId: string }[] }>().items.find((s) => s.commentId === rude.id);
      assert.ok(statement);
      const appeal = await call("POST", `/api/v1/me/decisions/${statement.id}/appeal`, author.token, { explanation: "It was not rude." });
      assert.equal(appeal.statusCode, 201, appeal.body);
      clock.advance(5 * MINUTE);
      const appealId = appeal.json<{ appeal: { id: string } }>().appeal.id;
      assert.equal((await call("POST", `/api/v1/moderation/appeals/${appealId}/decision`, second.token, { action: "reverse", note: "Sharp, not rude." })).statusCode, 200);

      const range = `from=${new Date(start - MINUTE).toISOString()}&to=${new Date(clock.now() + MINUTE).toISOString()}`;
      const res = await call("GET", `/api/v1/admin/transparency?siteId=${DEFAULT_SITE_ID}&${range}`, admin.token);
      assert.equal(res.statusCode, 200, res.body);
      const report = res.json<Record<string, Record<string, unknown>>>();
      assert.deepEqual(report.notices, { received: 1, actioned: 1, dismissed: 0, withdrawn: 0, open: 0, medianSecondsToDecision: 600, p90SecondsToDecision: 600 });
      assert.deepEqual(report.reports, { received: 1 });
      assert.equal(report.decisions.statements, 2);
      assert.deepEqual(report.decisions.byGround, { illegal: 1, terms: 1 });
      assert.deepEqual(report.decisions.byReason, [
        { ground: "illegal", reason: "illegal-content", count: 1, automated: 0 },
        { ground: "terms", reason: "offensive", count: 1, automated: 0 },
      ]);
      assert.equal(report.decisions.automatedShare, 0);
      // Three decisions (600 s, 1200 s, 1200 s) and the reversal's approval (1500 s).
      assert.equal(report.decisions.moderatorDecisions, 4);
      assert.equal(report.decisions.medianSecondsToDecision, 1200);
      assert.equal(report.decisions.p90SecondsToDecision, 1500);
      assert.deepEqual(report.appeals, { received: 1, upheld: 0, reversed: 1, open: 0, medianSecondsToDecision: 300 });

      const csv = await call("GET", `/api/v1/admin/transparency?siteId=${DEFAULT_SITE_ID}&${range}&format=csv`, admin.token);
      assert.equal(csv.statusCode, 200);
      assert.match(csv.headers["content-type"] as string, /^text\/csv/);
      assert.ok(csv.body.startsWith("section,metric,ground,reason,value\r\n"));
      assert.ok(csv.body.includes("notices,received,,,1\r\n"));
      assert.ok(csv.body.includes("decisions,by reason,illegal,illegal-content,1\r\n"));
      assert.ok(csv.body.includes("appeals,reversed,,,1\r\n"));

      const empty = await call("GET", `/api/v1/admin/transparency?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`, admin.token);
      assert.equal(empty.json<{ notices: { received: number } }>().notices.received, 0, "any range, here one before everything");
    });

    it("refuses a range that ends before it starts (400), and anyone but an admin (403)", async () => {
      const bad = await call("GET", "/api/v1/admin/transparency?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", admin.token);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json<{ error: { code: string } }>().error.code, "VALIDATION_FAILED");
      assert.equal((await call("GET", "/api/v1/admin/transparency?format=xml", admin.token)).statusCode, 400);
      assert.equal((await call("GET", `/api/v1/admin/transparency?siteId=${DEFAULT_SITE_ID}`, first.token)).statusCode, 403);
    });

    it("reports each moderator's decisions and time to decision, and the oldest pending comment's age", async () => {
      await changeModerationSettings(t.app.deps, DEFAULT_SITE_ID, { premod: { site: true } });
      await post(t.app, author.token, storyId, "A held comment.");
      clock.advance(7 * MINUTE);
      const res = await call("GET", `/api/v1/moderation/stats?siteId=${DEFAULT_SITE_ID}`, first.token);
      assert.equal(res.statusCode, 200, res.body);
      const stats = res.json<{ moderators: { name: string; decisions: number; approved: number; rejected: number; medianSeconds: number; p90Seconds: number }[]; queue: { pending: number; oldestAgeMinutes: number }; backlog: { alertMinutes: number | null; raisedAt: string | null } }>();
      const morgan = stats.moderators.find((m) => m.name === first.name);
      assert.deepEqual(morgan && { ...morgan, moderatorId: undefined }, { moderatorId: undefined, name: first.name, decisions: 2, approved: 0, rejected: 2, medianSeconds: 600, p90Seconds: 1200 });
      const sasha = stats.moderators.find((m) => m.name === second.name);
      assert.equal(sasha?.approved, 2);
      assert.equal(stats.queue.pending, 1);
      assert.equal(stats.queue.oldestAgeMinutes, 7);
      assert.deepEqual(stats.backlog, { alertMinutes: null, raisedAt: null });
    });

    it("alerts the admins and the webhook once per backlog episode, re-armed when the backlog clears", async () => {
      assert.deepEqual((await checkBacklogs(t.app.deps)).raised, [], "off by default");
      await changeModerationSettings(t.app.deps, DEFAULT_SITE_ID, { backlogAlertMinutes: 30 });
      assert.deepEqual((await checkBacklogs(t.app.deps)).raised, [], "7 minutes is not a backlog");
      clock.advance(25 * MINUTE);
      assert.deepEqual((await checkBacklogs(t.app.deps)).raised, [DEFAULT_SITE_ID]);
      assert.deepEqual((await checkBacklogs(t.app.deps)).raised, [], "once per episode");
      clock.advance(60 * MINUTE);
      assert.deepEqual((await checkBacklogs(t.app.deps)).raised, []);
      await worker.drain();
      const mails = smtp.to(admin.email);
      assert.equal(mails.length, 1);
      assert.equal(mails[0].subject, "Comments are waiting for moderation");
      assert.match(mails[0].text, /1 comment waits/);
      assert.equal(smtp.to(first.email).length, 0, "moderators are not admins");
      const events = await t.app.deps.store.db.selectFrom("outbox_jobs").select("payload").where("kind", "=", "event").execute();
      assert.equal(events.filter((e) => e.payload.includes('"moderation.backlog"')).length, 1, "one webhook event");
      const raised = (await call("GET", `/api/v1/moderation/stats?siteId=${DEFAULT_SITE_ID}`, first.token)).json<{ backlog: { alertMinutes: number; raisedAt: string } }>().backlog;
      assert.equal(raised.alertMinutes, 30);
      assert.ok(raised.raisedAt);

      const held = (await call("GET", "/api/v1/moderation/queues/pending", first.token)).json<{ items: { comment: { id: string } }[] }>().items;
      for (const item of held) await decide(first.token, item.comment.id, "approve");
      assert.deepEqual((await checkBacklogs(t.app.deps)).cleared, [DEFAULT_SITE_ID]);
      await post(t.app, author.token, storyId, "Another held comment.");
      clock.advance(31 * MINUTE);
      assert.deepEqual((await checkBacklogs(t.app.deps)).raised, [DEFAULT_SITE_ID], "a new episode alerts again");
      await changeModerationSettings(t.app.deps, DEFAULT_SITE_ID, { backlogAlertMinutes: null, premod: { site: false } });
    });
  });
}
