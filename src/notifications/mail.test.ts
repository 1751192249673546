import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, postComment, resolveStory, testApp } from "../../test/helpers.js";
import { claimDueJobs } from "../store/outbox-lease.js";
import { HANDLERS } from "./handlers.js";
import { sendNotificationMail } from "./mail.js";
import { markDone } from "./outbox.js";
import { account, startSmtp } from "../../test/notifications.js";
import { OutboxWorker } from "./worker.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`notification e-mails on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let worker: OutboxWorker;
    const clock = manualClock(Date.parse("2026-11-20T12:00:00Z"));

    before(async () => {
      smtp = await startSmtp();
      t = await testApp(dialect, {
        clock,
        env: { PARLEY_WORKER: "false", SMTP_HOST: "127.0.0.1", SMTP_PORT: String(smtp.port), MAIL_FROM: "Parley <no-reply@parley.test>", PARLEY_SECRET: "a test secret of some length" },
      });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
    });
    after(async () => {
      await worker.stop();
      await t.close();
      await smtp.close();
    });

    const settings = (token: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: "PATCH", url: "/api/v1/me/notification-settings", headers: auth(token), payload });

    it("mails a reply to a reader who asked for it: text and HTML, escaped, with a link and one-click unsubscribe headers", async () => {
      const storyId = await resolveStory(t.app, "/2026/11/council-vote");
      const ann = await account(t.app, "Ann");
      const bob = await account(t.app, "Bob");
      assert.equal((await settings(ann.token, { replies: "immediate" })).statusCode, 200);
      const top = await post(t.app, ann.token, storyId, "The vote was close.");
      const reply = await post(t.app, bob.token, storyId, 'Tom & Jerry <3 "quotes" <img src=x onerror=alert(1)>', top.id);
      await worker.drain();

      const [mail, ...more] = smtp.to(ann.email);
      assert.ok(mail, "Ann got a mail");
      assert.equal(more.length, 0);
      assert.equal(mail.subject, `${bob.name} replied to you on “/2026/11/council-vote”`);
      const link = `https://news.example/2026/11/council-vote#comment-${reply.id}`;
      assert.ok(mail.text.includes(`> Tom & Jerry <3 "quotes"`), mail.text);
      assert.ok(mail.text.includes(`Read the reply: ${link}`));
      assert.ok(mail.html.includes("Tom &amp; Jerry &lt;3 &quot;quotes&quot;"), "values are escaped in HTML");
      assert.ok(!mail.html.includes("<img"), "nothing a reader writes becomes markup");
      assert.ok(mail.html.includes(`href="${link}"`));
      const unsubscribe = /^<(http:\/\/parley\.test\/api\/v1\/notifications\/unsubscribe\?token=[^>]+)>$/.exec(mail.headers.get("list-unsubscribe") ?? "")?.[1];
      assert.ok(unsubscribe, mail.headers.get("list-unsubscribe"));
      assert.equal(mail.headers.get("list-unsubscribe-post"), "List-Unsubscribe=One-Click");
      assert.ok(mail.text.includes(unsubscribe) && mail.html.includes(unsubscribe.replace(/&/g, "&amp;")), "the link is in both bodies");
      assert.match(mail.messageId, /^<[0-9a-f]{40}@parley\.test>$/);
      assert.equal(smtp.to(bob.email).length, 0, "nobody is told about their own comment");

      // A page for people (GET changes nothing), then the one-click POST a mail client sends.
      const path = unsubscribe.replace("http://parley.test", "");
      const page = await t.app.inject({ method: "GET", url: path });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<form method="post"/);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me/notification-settings", headers: auth(ann.token) })).json().replies, "immediate");
      const tampered = await t.app.inject({ method: "POST", url: path.replace(/replies\.[^&]+$/, "replies.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") });
      assert.equal(tampered.statusCode, 400);
      const oneClick = await t.app.inject({ method: "POST", url: path, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "List-Unsubscribe=One-Click" });
      assert.equal(oneClick.statusCode, 200);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me/notification-settings", headers: auth(ann.token) })).json().replies, "off");

      await post(t.app, bob.token, storyId, "Another answer.", top.id);
      await worker.drain();
      assert.equal(smtp.to(ann.email).length, 1, "no mail after unsubscribing");
      const inbox = await t.app.inject({ method: "GET", url: "/api/v1/me/notifications", headers: auth(ann.token) });
      assert.equal(inbox.json().unread, 2, "the app still shows both replies");
    });

    it("sends nothing to a reader who did not opt in, or whose address is not verified", async () => {
      const storyId = await resolveStory(t.app);
      const quiet = await account(t.app, "Quiet");
      const unverified = await account(t.app, "Unverified");
      await settings(unverified.token, { replies: "immediate" });
      await t.store.db.updateTable("users").set({ email_verified_at: null }).where("id", "=", unverified.id).execute();
      const bob = await account(t.app, "Bob");
      for (const reader of [quiet, unverified]) {
        const top = await post(t.app, reader.token, storyId, `A comment by ${reader.name}`);
        await post(t.app, bob.token, storyId, "A reply.", top.id);
      }
      await worker.drain();
      assert.equal(smtp.to(quiet.email).length + smtp.to(unverified.email).length, 0);
    });

    it("tells an author in their language that a moderator published or rejected their comment, with the reason", async () => {
      const storyId = await resolveStory(t.app, "/held-story");
      const moderator = await account(t.app, "Mod", "moderator");
      const premod = await t.app.inject({ method: "PATCH", url: `/api/v1/stories/${storyId}`, headers: auth(moderator.token), payload: { premod: true } });
      assert.equal(premod.statusCode, 200, premod.body);
      const author = await account(t.app, "Autorin");
      await settings(author.token, { lang: "de" });
      const first = await post(t.app, author.token, storyId, "Erster Kommentar.");
      const second = await post(t.app, author.token, storyId, "Zweiter Kommentar.");
      assert.equal(first.status, "pending");
      const decide = (id: string, payload: Record<string, unknown>) =>
        t.app.inject({ method: "POST", url: `/api/v1/moderation/comments/${id}/decision`, headers: auth(moderator.token), payload });
      assert.equal((await decide(first.id, { action: "approve" })).statusCode, 200);
      assert.equal((await decide(second.id, { action: "reject", reason: { code: "off-topic" } })).statusCode, 200);
      await worker.drain();
      const mails = smtp.to(author.email);
      assert.deepEqual(mails.map((m) => m.subject).sort(), [
        "Ihr Kommentar zu „/held-story“ ist veröffentlicht",
        "Ihr Kommentar zu „/held-story“ wurde nicht veröffentlicht",
      ]);
      const rejected = mails.find((m) => m.subject.includes("nicht"))!;
      assert.ok(rejected.text.includes("Grund: am Thema vorbei"), rejected.text);
      assert.ok(rejected.html.includes('lang="de"'));
      // The statement of reasons (EU DSA): its explanation and the last day to appeal it.
      assert.ok(rejected.text.includes("Your comment was not about the article or the discussion"), rejected.text);
      assert.ok(rejected.text.includes("Sie können bis 2027-05-22 Einspruch einlegen"), rejected.text);
      const inbox = await t.app.inject({ method: "GET", url: "/api/v1/me/notifications", headers: auth(author.token) });
      const note = inbox.json<{ items: { kind: string; decisionId: string | null; appealUntil: string | null; message: string | null }[] }>().items.find((n) => n.kind === "comment.rejected");
      const decisions = await t.app.inject({ method: "GET", url: "/api/v1/me/decisions", headers: auth(author.token) });
      const statement = decisions.json<{ items: { id: string; appealUntil: string; explanation: string }[] }>().items[0];
      assert.equal(note?.decisionId, statement.id);
      assert.equal(note?.appealUntil, statement.appealUntil);
      assert.equal(note?.message, statement.explanation);
    });

    it("mails a quoted reader (a mention) when they asked for it", async () => {
      const storyId = await resolveStory(t.app);
      const quoted = await account(t.app, "Quoted");
      await settings(quoted.token, { mentions: "immediate" });
      const original = await post(t.app, quoted.token, storyId, "Turnout was 61 percent, the highest since 1998.");
      const quoter = await account(t.app, "Quoter");
      const res = await postComment(t.app, quoter.token, storyId, {
        body: "Source?",
        quote: { source: "comment", commentId: original.id, text: "the highest since 1998" },
      });
      assert.equal(res.statusCode, 201, res.body);
      await worker.drain();
      const [mail] = smtp.to(quoted.email);
      assert.ok(mail);
      assert.match(mail.subject, /quoted you/);
      assert.ok(mail.text.includes("> the highest since 1998"));
    });

    it("collects replies for a daily digest: one mail at the digest hour, never a second", async () => {
      const storyId = await resolveStory(t.app);
      const reader = await account(t.app, "Digest");
      await settings(reader.token, { replies: "digest" });
      const top = await post(t.app, reader.token, storyId, "Collect the answers.");
      const bob = await account(t.app, "Bob");
      await post(t.app, bob.token, storyId, "First answer.", top.id);
      await post(t.app, bob.token, storyId, "Second answer.", top.id);
      await worker.drain();
      assert.equal(smtp.to(reader.email).length, 0, "nothing before the digest hour");
      clock.advance(24 * 3600_000);
      await worker.drain();
      await worker.drain();
      const mails = smtp.to(reader.email);
      assert.equal(mails.length, 1);
      assert.equal(mails[0]!.subject, "2 new in your discussions");
      assert.ok(mails[0]!.text.includes("First answer.") && mails[0]!.text.includes("Second answer."));
      assert.match(mails[0]!.headers.get("list-unsubscribe") ?? "", /\.digest\./);
    });

    it("resends with the same Message-ID when a worker dies between SMTP acceptance and its commit", async () => {
      const storyId = await resolveStory(t.app);
      const reader = await account(t.app, "Crash");
      await settings(reader.token, { replies: "immediate" });
      const top = await post(t.app, reader.token, storyId, "Answer me.");
      const bob = await account(t.app, "Bob");
      await post(t.app, bob.token, storyId, "An answer.", top.id);
      await worker.stop(); // hands the SQLite lease to the "doomed" worker below
      const claim = () => claimDueJobs(t.store, { worker: "doomed", now: clock.now(), leaseMs: 60_000, limit: 50 });
      for (const fanOut of await claim()) {
        await HANDLERS[fanOut.kind](t.app.deps, fanOut, "doomed");
        await markDone(t.store.db, fanOut, "doomed", clock.now());
      }
      const [job] = (await claim()).filter((j) => j.kind === "email");
      assert.ok(job, "the doomed worker claimed the mail");
      await sendNotificationMail(t.app.deps, job); // the SMTP server accepts it ... and the worker dies before marking it done
      assert.equal(smtp.to(reader.email).length, 1);
      clock.advance(60_001);
      await worker.drain();
      const copies = smtp.to(reader.email);
      assert.equal(copies.length, 2, "at least once: the mail is sent again");
      assert.equal(new Set(copies.map((m) => m.messageId)).size, 1, "as the same message, which mailboxes keep once");
      await worker.drain();
      assert.equal(smtp.to(reader.email).length, 2, "and then never again");
    });
  });
}
