import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, RELAXED_FOR_TESTS, type TestApp, auth, manualClock, post, resolveStory, testApp } from "../../test/helpers.js";
import { account, startSmtp } from "../../test/notifications.js";
import { HANDLERS } from "../notifications/handlers.js";
import { OutboxWorker } from "../notifications/worker.js";

interface QueueItem {
  comment: { id: string };
  reports: unknown[];
  notices: { law: string; explanation: string; receivedAt: string; notifier: string | null; answered: boolean }[];
}

/** EU DSA Art. 16: notices of illegal content from anyone, first in the Reported queue, answered with the decision. */
for (const { dialect, skip } of DIALECTS) {
  describe(`notices of illegal content on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let worker: OutboxWorker;
    const clock = manualClock(Date.parse("2026-12-01T09:00:00Z"));
    let storyId: string;
    let author: Awaited<ReturnType<typeof account>>;
    let moderator: Awaited<ReturnType<typeof account>>;

    const notice = (payload: Record<string, unknown>, options: { token?: string; ip?: string } = {}) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/notices",
        payload,
        remoteAddress: options.ip ?? "198.51.100.7",
        ...(options.token ? { headers: auth(options.token) } : {}),
      });
    const form = (fields: Record<string, string>, ip = "198.51.100.8") =>
      t.app.inject({
        method: "POST",
        url: "/notice",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams(fields).toString(),
        remoteAddress: ip,
      });
    const stored = async () => {
      const db = t.app.deps.store.db;
      const count = async (table: "notices" | "outbox_jobs" | "moderation_actions") =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      return { notices: await count("notices"), jobs: await count("outbox_jobs"), audit: await count("moderation_actions") };
    };
    const reported = async () => {
      const res = await t.app.inject({ method: "GET", url: "/api/v1/moderation/queues/reported", headers: auth(moderator.token) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{ items: QueueItem[] }>().items;
    };
    const decide = async (commentId: string, action: "approve" | "reject") => {
      const reason = action === "reject" ? { reason: { code: "illegal-content", text: "§ 130 StGB" } } : {};
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/moderation/comments/${commentId}/decision`,
        headers: auth(moderator.token),
        payload: { action, ...reason },
      });
      assert.equal(res.statusCode, 200, res.body);
    };
    const valid = (commentId: string, extra: Record<string, unknown> = {}) => ({
      commentId,
      law: "German Criminal Code, section 130",
      explanation: "It calls for violence against a group of people.",
      goodFaith: true,
      ...extra,
    });

    before(async () => {
      smtp = await startSmtp();
      t = await testApp(dialect, {
        clock,
        moderation: {
          ...RELAXED_FOR_TESTS,
          rateLimits: { enabled: true, commentIntervalSeconds: 0, newAccountDailyComments: 10000, commentsPerIpPerMinute: 10000, reportsPerHour: 10000, noticesPerHourPerIp: 3 },
        },
        env: { PARLEY_WORKER: "false", SMTP_HOST: "127.0.0.1", SMTP_PORT: String(smtp.port), MAIL_FROM: "Parley <no-reply@parley.test>" },
      });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
      storyId = await resolveStory(t.app, "/2026/12/notices");
      author = await account(t.app, "Noticed author");
      moderator = await account(t.app, "Notice moderator", "moderator");
    });
    after(async () => {
      await worker.stop();
      await t.close();
      await smtp.close();
    });

    it("refuses a notice without an explanation, a law or the good-faith statement, and stores nothing", async () => {
      const comment = await post(t.app, author.token, storyId, "A comment someone thinks is illegal.");
      const before = await stored();
      for (const bad of [
        { commentId: comment.id, law: "Criminal Code", goodFaith: true },
        valid(comment.id, { explanation: "   " }),
        valid(comment.id, { law: "" }),
        valid(comment.id, { goodFaith: false }),
        valid(comment.id, { reporterEmail: "not an address" }),
      ]) {
        const res = await notice(bad);
        assert.equal(res.statusCode, 400, JSON.stringify(bad));
        assert.equal(res.json<{ error: { code: string } }>().error.code, "VALIDATION_FAILED");
      }
      const blank = (await notice(valid(comment.id, { explanation: " \n " }))).json<{ error: { message: string; details: { path: string } } }>().error;
      assert.equal(blank.message, "Explain why the comment is illegal: a notice without an explanation cannot be reviewed.");
      assert.equal(blank.details.path, "/explanation");
      const page = await form({ comment: comment.id, law: "Criminal Code", explanation: "", goodFaith: "yes" });
      assert.equal(page.statusCode, 400);
      assert.match(page.body, /a notice without an explanation cannot be reviewed/);
      assert.match(page.body, /value="Criminal Code"/, "the page keeps what the reader wrote");
      assert.equal((await notice(valid("no-such-comment"))).statusCode, 404);
      assert.deepEqual(await stored(), before, "no notice, no job, no audit entry");
      assert.deepEqual(await reported(), []);
    });

    it("takes a notice from anyone, puts it first in the Reported queue with its explanation, and mails a receipt", async () => {
      const reportedOnly = await post(t.app, author.token, storyId, "A comment readers merely report.");
      const reader = await account(t.app, "Reporting reader");
      const res0 = await t.app.inject({ method: "POST", url: `/api/v1/comments/${reportedOnly.id}/reports`, headers: auth(reader.token), payload: { reason: "offensive" } });
      assert.equal(res0.statusCode, 201, res0.body);
      const notified = await post(t.app, author.token, storyId, "A comment that breaks the law.");
      const res = await notice(valid(notified.id, { reporterEmail: "notifier@example.org" }));
      assert.equal(res.statusCode, 201, res.body);
      const { notice: n } = res.json<{ notice: { id: string; receivedAt: string } }>();
      assert.equal(n.receivedAt, "2026-12-01T09:00:00.000Z");
      const queue = await reported();
      assert.equal(queue[0].comment.id, notified.id, "the notice outranks a reader's report");
      assert.deepEqual(queue[0].notices, [
        { law: "German Criminal Code, section 130", explanation: "It calls for violence against a group of people.", receivedAt: n.receivedAt, notifier: null, answered: true },
      ]);
      assert.equal(queue[1].comment.id, reportedOnly.id);
      assert.deepEqual(queue[1].notices, []);
      const audit = await t.app.deps.store.db.selectFrom("moderation_actions").selectAll().where("action", "=", "notice.file").execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0].actor_id, null, "sent without an account");
      await worker.drain();
      const [receipt, ...more] = smtp.to("notifier@example.org");
      assert.equal(more.length, 0);
      assert.equal(receipt.subject, "We received your notice");
      assert.match(receipt.text, /German Criminal Code, section 130/);
    });

    it("tells the notifier the decision: removed on a rejection, kept on an approval; each step audited", async () => {
      const queue = await reported();
      const notified = queue[0].comment.id;
      await decide(notified, "reject");
      await worker.drain();
      const mails = smtp.to("notifier@example.org");
      assert.equal(mails.length, 2);
      const decided = mails.find((m) => m.subject === "The decision on your notice");
      assert.ok(decided);
      assert.match(decided.text, /we removed the comment/);
      const row = await t.app.deps.store.db.selectFrom("notices").selectAll().executeTakeFirstOrThrow();
      assert.equal(row.status, "actioned");
      assert.equal(row.decided_by, moderator.id);

      const signedIn = await account(t.app, "Signed notifier");
      const kept = await post(t.app, author.token, storyId, "A sharp but lawful comment.");
      const res = await notice(valid(kept.id, { reporterEmail: "second@example.org" }), { token: signedIn.token, ip: "198.51.100.9" });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((await reported())[0].notices[0].notifier, signedIn.name);
      await decide(kept.id, "approve");
      await worker.drain();
      const decision = smtp.to("second@example.org").find((m) => m.subject === "The decision on your notice");
      assert.ok(decision, "the decision went out");
      assert.match(decision.text, /we decided to keep the comment/);
      const steps = await t.app.deps.store.db
        .selectFrom("moderation_actions")
        .select(["action", "actor_id"])
        .where("action", "like", "notice.%")
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      assert.deepEqual(
        steps.map((s) => s.action).sort(),
        ["notice.actioned", "notice.dismissed", "notice.file", "notice.file"],
      );
      assert.ok(steps.filter((s) => s.action !== "notice.file").every((s) => s.actor_id === moderator.id));
      const log = await t.app.inject({ method: "GET", url: "/api/v1/moderation/log?siteId=default", headers: auth(moderator.token) });
      const sentences = log.json<{ items: { summary: string }[] }>().items.map((i) => i.summary);
      assert.ok(sentences.some((x) => /^Someone without an account sent a notice of illegal content about .+’s comment on/.test(x)), sentences.join("\n"));
      assert.ok(sentences.some((x) => x.startsWith(`${moderator.name} closed, keeping the comment, a notice of illegal content about`)), sentences.join("\n"));
    });

    it("limits notices per address, and serves the notice page with the comment and a form that files one", async () => {
      const target = await post(t.app, author.token, storyId, "A comment notified again and again.");
      const page = await t.app.inject({ method: "GET", url: `/notice?comment=${target.id}` });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /A comment notified again and again\./);
      assert.match(page.body, /<form method="post" action="\/notice"/);
      assert.equal((await t.app.inject({ method: "GET", url: "/notice?comment=nosuchcomment" })).statusCode, 404);
      const done = await form({ comment: `https://news.example/2026/12/notices#comment-${target.id}`, law: "Criminal Code", explanation: "Threatens a named person.", goodFaith: "yes" }, "203.0.113.5");
      assert.equal(done.statusCode, 201, done.body);
      assert.match(done.body, /We received your notice/);
      for (let i = 0; i < 2; i++) assert.equal((await notice(valid(target.id), { ip: "203.0.113.5" })).statusCode, 201);
      const limited = await notice(valid(target.id), { ip: "203.0.113.5" });
      assert.equal(limited.statusCode, 429);
      assert.ok(limited.headers["retry-after"]);
      assert.equal((await notice(valid(target.id), { ip: "203.0.113.6" })).statusCode, 201, "another address is not limited");
      const open = await t.app.deps.store.db.selectFrom("notices").select("id").where("comment_id", "=", target.id).execute();
      assert.equal(open.length, 4);
    });
  });
}
