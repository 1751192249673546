import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { DIALECTS, freshDatabase } from "../../test/helpers.js";
import { type Store, openStore } from "../store/db.js";
import { startSmtp } from "../../test/notifications.js";

/**
 * Kills a worker process (SIGKILL) in the middle of draining 1,000 jobs, starts another,
 * and checks that every job is delivered and that no reader gets an e-mail twice.
 */
const WEBHOOKS = 700;
const MAILS = 300;
const KILL_AFTER = 300;
const NOW = Date.now();

async function seed(store: Store, receiverUrl: string): Promise<void> {
  const db = store.db;
  await db.insertInto("sites").values({ id: "default", name: "Default", origins: "[]", settings: "{}", created_at: NOW }).execute();
  await db
    .insertInto("stories")
    .values({ id: "story", site_id: "default", url: "https://news.example/crash", title: "Crash", author: null, published_at: null, body_text: null, status: "open", premod: 0, created_at: NOW, updated_at: NOW })
    .execute();
  await db
    .insertInto("webhook_endpoints")
    .values({ id: "hook", site_id: "default", url: receiverUrl, events: '["*"]', secrets: JSON.stringify([{ id: "s", secret: "whsec_crash", createdAt: "" }]), active: 1, created_at: NOW, updated_at: NOW })
    .execute();
  const job = (i: number, kind: "webhook" | "email", key: string, payload: unknown) => ({
    id: `job${String(i).padStart(5, "0")}`,
    kind,
    key,
    site_id: "default",
    payload: JSON.stringify(payload),
    status: "queued" as const,
    attempts: 0,
    due_at: NOW,
    locked_by: null,
    last_error: null,
    created_at: NOW,
    updated_at: NOW,
  });
  for (let from = 0; from < MAILS; from += 100) {
    const ids = Array.from({ length: 100 }, (_, i) => from + i);
    await db
      .insertInto("users")
      .values(ids.map((i) => ({ id: `u${i}`, email: `reader${i}@example.com`, password_hash: null, display_name: `Reader ${i}`, role: "commenter" as const, status: "active" as const, suspended_until: null, created_at: NOW, warning: null, email_verified_at: NOW })))
      .execute();
    await db
      .insertInto("notification_prefs")
      .values(ids.map((i) => ({ user_id: `u${i}`, replies: "immediate" as const, mentions: "off" as const, moderation: 1, lang: "en", updated_at: NOW })))
      .execute();
    await db
      .insertInto("notifications")
      .values(ids.map((i) => ({ id: `n${i}`, user_id: `u${i}`, key: `n${i}`, kind: "reply" as const, site_id: "default", story_id: "story", comment_id: `c${i}`, actor_id: null, data: JSON.stringify({ storyTitle: "Crash", storyUrl: "https://news.example/crash", excerpt: "A reply.", actorName: "Someone" }), created_at: NOW, read_at: null, digest: 0, digest_key: null })))
      .execute();
    await db.insertInto("outbox_jobs").values(ids.map((i) => job(i, "email", `mail:n${i}`, { notificationId: `n${i}` }))).execute();
  }
  for (let from = 0; from < WEBHOOKS; from += 100) {
    const ids = Array.from({ length: 100 }, (_, i) => MAILS + from + i);
    await db
      .insertInto("outbox_jobs")
      .values(ids.map((i) => job(i, "webhook", `webhook:evt_${i}:hook`, { endpointId: "hook", eventId: `evt_${i}`, eventType: "comment.created", body: JSON.stringify({ id: `evt_${i}` }) })))
      .execute();
  }
}

function startWorker(databaseUrl: string, smtpPort: number): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/notifications/worker-main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtpPort),
      MAIL_FROM: "Parley <no-reply@parley.test>",
      PUBLIC_URL: "http://parley.test",
      PARLEY_SECRET: "crash test secret 0123456789",
      PARLEY_OUTBOX_LEASE_SECONDS: "2",
      PARLEY_OUTBOX_POLL_MS: "50",
      PARLEY_OUTBOX_CONCURRENCY: "16",
      // The receiver is on loopback.
      PARLEY_WEBHOOK_ALLOW_PRIVATE: "true",
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

for (const { dialect, skip } of DIALECTS) {
  describe(`a worker killed mid-drain on ${dialect}`, { skip }, () => {
    let database: Awaited<ReturnType<typeof freshDatabase>>;
    let store: Store;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const hooks: string[] = [];
    let onDelivery = () => {};
    const receiver = createServer((req, res) => {
      hooks.push(String(req.headers["parley-webhook-id"]));
      req.resume();
      req.on("end", () => {
        res.statusCode = 204;
        res.end();
        onDelivery();
      });
    });
    const children: ChildProcess[] = [];

    before(async () => {
      database = await freshDatabase(dialect);
      store = await openStore(database.url, { poolSize: 2 });
      smtp = await startSmtp();
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      await seed(store, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`);
    });
    after(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await Promise.all(children.map(exited));
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await smtp.close();
      await store.close();
      await database.drop();
    });

    const states = async () => {
      const rows = await store.read.selectFrom("outbox_jobs").select(["status"]).execute();
      return { done: rows.filter((r) => r.status === "done").length, total: rows.length };
    };

    it("delivers every one of 1,000 jobs after a restart, and no reader gets an e-mail twice", async () => {
      const first = startWorker(database.url, smtp.port);
      children.push(first);
      const killed = new Promise<void>((resolve) => {
        smtp.onMail(() => check());
        onDelivery = check;
        function check() {
          if (hooks.length + smtp.mails.length >= KILL_AFTER && first.signalCode === null && first.exitCode === null) {
            first.kill("SIGKILL");
            resolve();
          }
        }
      });
      await Promise.race([killed, exited(first).then(() => assert.fail("the worker exited by itself"))]);
      await exited(first);
      assert.equal(first.signalCode, "SIGKILL");
      const atKill = await states();
      assert.ok(atKill.done < atKill.total, `killed mid-drain (${atKill.done} of ${atKill.total} done)`);

      const second = startWorker(database.url, smtp.port);
      children.push(second);
      const deadline = Date.now() + 45_000;
      let now = atKill;
      while (now.done < now.total && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        now = await states();
      }
      second.kill("SIGTERM");
      await exited(second);
      assert.equal(now.done, WEBHOOKS + MAILS, "every job done");

      const delivered = new Set(hooks);
      assert.equal(delivered.size, WEBHOOKS, "every webhook delivered at least once");
      const perReader = new Map<string, Set<string>>();
      for (const mail of smtp.mails) for (const to of mail.to) perReader.set(to, (perReader.get(to) ?? new Set()).add(mail.messageId));
      assert.equal(perReader.size, MAILS, "every reader got their mail");
      assert.ok([...perReader.values()].every((ids) => ids.size === 1), "no reader got two different mails");
      const resent = smtp.mails.length - MAILS;
      // Resends can only come from mails accepted by SMTP and not yet committed as done when the worker died.
      assert.ok(resent <= 16, `at most one batch in flight was resent (${resent})`);
      process.stdout.write(`# ${dialect}: done at kill ${atKill.done}, webhook posts ${hooks.length} (${hooks.length - WEBHOOKS} repeated), mails ${smtp.mails.length} (${resent} resent with the same Message-ID)\n`);
    });
  });
}
