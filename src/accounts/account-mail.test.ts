import assert from "node:assert/strict";
import { type Server, createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, testApp } from "../../test/helpers.js";
import { startMailbox, tokenIn } from "../../test/mailbox.js";
import { HANDLERS } from "../notifications/handlers.js";
import { OutboxWorker } from "../notifications/worker.js";

type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

/** Something listening on the SMTP port that counts connections and never answers. */
async function silentListener(port: number): Promise<{ connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { connections: () => connections, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

for (const { dialect, skip } of DIALECTS) {
  describe(`account mails through the outbox on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let mailbox: Mailbox;
    let worker: OutboxWorker;
    const clock = manualClock();
    const logLines: string[] = [];
    /** Every address and token these tests handle: none may reach an info-level log line. */
    const secrets: string[] = [];
    let n = 0;
    const address = (name: string) => {
      const email = `${name}-${++n}-${dialect}@example.com`;
      secrets.push(email);
      return email;
    };

    before(async () => {
      mailbox = await startMailbox();
      t = await testApp(dialect, {
        clock,
        logStream: { write: (line) => void logLines.push(line) },
        env: {
          LOG_LEVEL: "info",
          PARLEY_WORKER: "false",
          PARLEY_OUTBOX_RETRY_BASE_MS: "1000",
          PARLEY_OUTBOX_MAX_ATTEMPTS: "3",
          SMTP_HOST: "127.0.0.1",
          SMTP_PORT: String(mailbox.port),
          MAIL_FROM: "Parley <no-reply@parley.test>",
        },
      });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
    });
    after(async () => {
      await worker.stop();
      await t.close();
      await mailbox.close();
    });

    const signup = async (email: string, displayName = "Mail reader") => {
      const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password: "a long enough password", displayName } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ token: string; user: { id: string } }>();
    };
    const accountJobs = () => t.store.db.selectFrom("outbox_jobs").selectAll().where("kind", "=", "account-mail").orderBy("id").execute();
    const verify = (token: string) => t.app.inject({ method: "POST", url: "/api/v1/auth/verify", payload: { token } });
    const verified = async (session: string) =>
      (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(session) })).json<{ user: { emailVerified: boolean } }>().user.emailVerified;

    it("queues the verification mail with the signup; the worker sends it with a link that works", async () => {
      const email = address("verify");
      const { token: session } = await signup(email);
      const [job, ...others] = await accountJobs();
      assert.ok(job, "the signup wrote an account-mail job");
      assert.equal(others.length, 0);
      assert.equal(job.status, "queued");
      assert.equal(job.attempts, 0, "nothing was sent during the request");
      assert.ok(!job.payload.includes(email), "no address waits in the outbox");
      assert.equal(mailbox.mails.length, 0);

      assert.equal(await worker.drain(), 1);
      const mail = await mailbox.waitFor(email, /Confirm your e-mail/);
      const link = tokenIn(mail);
      secrets.push(link);
      assert.ok(mail.text.includes(`http://parley.test/auth/verify#token=${link}`), mail.text);
      assert.match(mail.messageId, /^<[0-9a-f]{40}@parley\.test>$/);
      const [sent] = await accountJobs();
      assert.equal(sent!.status, "done");
      assert.ok(!sent!.payload.includes(link), "the token leaves the outbox once the mail is out");

      assert.equal((await verify(link)).statusCode, 200);
      assert.equal(await verified(session), true);
      await t.store.db.deleteFrom("outbox_jobs").execute();
    });

    it("sends the verification mail as text and HTML: the link as a button and as plain text, every value escaped, the usual headers", async () => {
      const email = address("html");
      const { token: session } = await signup(email, `Tom & <b>Jerry</b> "x"`);
      await worker.drain();
      const mail = await mailbox.waitFor(email, /^Confirm your e-mail address$/);
      const link = `http://parley.test/auth/verify#token=${tokenIn(mail)}`;
      secrets.push(tokenIn(mail));
      assert.ok(mail.text.includes(`Hello Tom & <b>Jerry</b> "x",`), mail.text);
      assert.ok(mail.text.split("\n").includes(link), "the text part has the link on a line of its own");
      assert.ok(!mail.text.includes("<a "), "the text part holds no markup");

      assert.match(mail.html, /^<!doctype html>/);
      assert.ok(mail.html.includes('<html lang="en">'));
      assert.ok(mail.html.includes("Hello Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; &quot;x&quot;,"), "the name is escaped");
      assert.ok(!mail.html.includes("<b>"), "nothing a reader typed becomes markup");
      const anchors = [...mail.html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map(([, href, label]) => ({ href: href!.replace(/&amp;/g, "&"), label }));
      assert.deepEqual(anchors, [
        { href: link, label: "Confirm my address" },
        { href: link, label: link },
      ], "a button and the link as plain text, both to the same link");
      assert.ok(!/unsubscribe/i.test(mail.html + mail.text), "nobody subscribed to account mails");

      assert.equal(mail.headers.get("from"), "Parley <no-reply@parley.test>");
      assert.equal(mail.headers.get("auto-submitted"), "auto-generated");
      assert.equal(mail.headers.get("list-unsubscribe"), undefined);
      assert.match(mail.messageId, /^<[0-9a-f]{40}@parley\.test>$/);
      assert.match(mail.headers.get("content-type") ?? "", /^multipart\/alternative/);

      const fromHtml = /#token=([A-Za-z0-9_-]+)/.exec(anchors[0]!.href)?.[1];
      assert.equal((await verify(fromHtml!)).statusCode, 200, "the HTML button's link verifies the address");
      assert.equal(await verified(session), true);
      await t.store.db.deleteFrom("outbox_jobs").execute();
    });

    it("writes account mails in the account's language: German once the reader chose it", async () => {
      const email = address("deutsch");
      const { token: session } = await signup(email, "Leserin");
      await worker.drain();
      const first = await mailbox.waitFor(email, /^Confirm your e-mail address$/);
      secrets.push(tokenIn(first));
      const chosen = await t.app.inject({ method: "PATCH", url: "/api/v1/me/notification-settings", headers: auth(session), payload: { lang: "de" } });
      assert.equal(chosen.statusCode, 200, chosen.body);

      const again = await t.app.inject({ method: "POST", url: "/api/v1/auth/verify/request", headers: auth(session) });
      assert.equal(again.statusCode, 202, again.body);
      assert.equal((await t.app.inject({ method: "POST", url: "/api/v1/auth/reset", payload: { email } })).statusCode, 202);
      const intruder = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password: "another long password", displayName: "Intruder" } });
      assert.equal(intruder.statusCode, 201);
      assert.equal(await worker.drain(), 3);

      const verifyMail = await mailbox.waitFor(email, /^Bestätigen Sie Ihre E-Mail-Adresse$/);
      const link = tokenIn(verifyMail);
      secrets.push(link);
      assert.ok(verifyMail.text.startsWith("Hallo Leserin,\n"), verifyMail.text);
      assert.ok(verifyMail.html.includes('<html lang="de">'));
      assert.ok(verifyMail.html.includes(">Adresse bestätigen</a>"), verifyMail.html);
      assert.ok(verifyMail.html.includes("Falls die Schaltfläche nicht funktioniert"));
      const resetMail = await mailbox.waitFor(email, /^Setzen Sie Ihr Passwort zurück$/);
      secrets.push(tokenIn(resetMail));
      assert.ok(resetMail.html.includes(">Neues Passwort wählen</a>"));
      const notice = await mailbox.waitFor(email, /^Sie haben bereits ein Konto$/);
      assert.ok(notice.text.includes("http://parley.test/auth/reset\n"), notice.text);
      assert.ok(!notice.text.includes("Intruder") && notice.text.includes("Hallo Leserin,"), "the owner is greeted, not the caller");
      assert.equal(mailbox.mails.filter((m) => m.to.includes(email)).length, 4, "one English mail before the choice, three German after");
      assert.equal((await verify(link)).statusCode, 200);
      await t.store.db.deleteFrom("outbox_jobs").execute();
    });

    it("answers signup and reset without SMTP, and delivers both mails once SMTP is back", async () => {
      const port = mailbox.port;
      await mailbox.close();
      const silent = await silentListener(port);
      const email = address("down");
      const { token: session } = await signup(email);
      const reset = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset", payload: { email } });
      assert.equal(reset.statusCode, 202);
      assert.equal(silent.connections(), 0, "the requests never talked to SMTP");
      await silent.close();

      assert.equal(await worker.drain(), 2, "the worker tries both mails");
      const failed = await accountJobs();
      assert.deepEqual(failed.map((j) => [j.status, j.attempts]), [["queued", 1], ["queued", 1]]);
      assert.ok(failed.every((j) => j.last_error && j.due_at > clock.now()), "each waits for a retry");

      mailbox = await startMailbox(port);
      assert.equal(await worker.drain(), 0, "not before the backoff");
      clock.advance(1000);
      assert.equal(await worker.drain(), 2);
      const verifyLink = tokenIn(await mailbox.waitFor(email, /Confirm your e-mail/));
      const resetLink = tokenIn(await mailbox.waitFor(email, /Reset your password/));
      secrets.push(verifyLink, resetLink);
      assert.deepEqual((await accountJobs()).map((j) => j.status), ["done", "done"]);
      assert.equal((await verify(verifyLink)).statusCode, 200);
      assert.equal(await verified(session), true);
      const confirm = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset/confirm", payload: { token: resetLink, password: "a brand new passphrase" } });
      assert.equal(confirm.statusCode, 204);
      await t.store.db.deleteFrom("outbox_jobs").execute();
    });

    it("drops a link that a newer one replaced while SMTP was away", async () => {
      const email = address("twice");
      await signup(email);
      await worker.drain();
      await mailbox.waitFor(email, /Confirm your e-mail/);
      const port = mailbox.port;
      await mailbox.close();
      for (let i = 0; i < 2; i++) {
        assert.equal((await t.app.inject({ method: "POST", url: "/api/v1/auth/reset", payload: { email } })).statusCode, 202);
      }
      await worker.drain();
      mailbox = await startMailbox(port);
      clock.advance(1000);
      await worker.drain();
      const resets = mailbox.mails.filter((m) => m.to.includes(email) && /Reset/.test(m.subject));
      assert.equal(resets.length, 1, "only the live link is mailed");
      secrets.push(tokenIn(resets[0]!));
      const confirm = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset/confirm", payload: { token: tokenIn(resets[0]!), password: "another new passphrase" } });
      assert.equal(confirm.statusCode, 204);
      await t.store.db.deleteFrom("outbox_jobs").execute();
    });

    it("retries a refused recipient, then dead-letters the mail without its address", async () => {
      const port = mailbox.port;
      await mailbox.close();
      const email = address("refused");
      mailbox = await startMailbox(port, { refuse: (to) => to === email });
      await signup(email);
      for (let attempt = 1; attempt <= 3; attempt++) {
        assert.equal(await worker.drain(), 1, `attempt ${attempt}`);
        clock.advance(10_000);
      }
      const [job] = await accountJobs();
      assert.equal(job!.status, "dead");
      assert.equal(job!.attempts, 3);
      assert.match(job!.last_error ?? "", /550/);
      assert.ok(!job!.last_error!.includes(email), job!.last_error!);
      assert.equal(mailbox.mails.length, 0);
      await t.store.db.deleteFrom("outbox_jobs").execute();
    });

    it("keeps every address and token out of the info-level log", () => {
      const log = logLines.join("");
      assert.match(log, /\/api\/v1\/auth\/signup/, "the log was captured");
      assert.match(log, /outbox job failed/, "including the worker's failures");
      for (const secret of secrets) assert.ok(!log.includes(secret), `the log holds ${secret}`);
    });
  });
}

for (const { dialect, skip } of DIALECTS) {
  describe(`account mails without SMTP on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect, { env: { PARLEY_WORKER: "false", PARLEY_OUTBOX_MAX_ATTEMPTS: "3" } });
    });
    after(() => t.close());

    it("ends the job without a mail, not retrying it until it is dead", async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: `nosmtp-${dialect}@example.com`, password: "correct horse battery", displayName: "No Smtp" },
      });
      assert.equal(res.statusCode, 201);
      const worker = new OutboxWorker(t.app.deps, HANDLERS);
      try {
        await worker.drain();
      } finally {
        await worker.stop();
      }
      const jobs = await t.store.db.selectFrom("outbox_jobs").select(["status", "attempts"]).where("kind", "=", "account-mail").execute();
      assert.ok(jobs.length >= 1);
      for (const job of jobs) assert.deepEqual(job, { status: "done", attempts: 1 });
    });
  });
}
