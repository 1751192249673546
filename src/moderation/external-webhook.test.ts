import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, postComment, resolveStory, signup, testApp } from "../../test/helpers.js";
import { forgetSites } from "../site/service.js";

/** Moderation webhook URLs of this machine or a private network, each as an admin might type it. */
const PRIVATE_URLS = [
  "http://127.0.0.1:8080/moderate",
  "http://localhost/moderate",
  "http://api.localhost./moderate",
  "http://2130706433/moderate",
  "http://10.0.0.7/moderate",
  "http://169.254.169.254/latest/meta-data/",
  "http://[::1]/moderate",
  "https://[::ffff:192.168.1.1]/moderate",
];

// With the default PARLEY_WEBHOOK_ALLOW_PRIVATE=false; the webhook's answers are tested in phases.test.ts.
for (const { dialect, skip } of DIALECTS) {
  describe(`moderation webhook addresses by default on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let admin: { token: string; id: string };
    const logLines: string[] = [];
    const asked: string[] = [];
    const receiver = createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(200, { "content-type": "application/json" }).end('{"action":"publish"}');
    });
    let port = 0;

    before(async () => {
      t = await testApp(dialect, { env: { LOG_LEVEL: "warn" }, logStream: { write: (line) => void logLines.push(line) } });
      admin = await signup(t.app, "Admin");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      port = (receiver.address() as AddressInfo).port;
    });
    after(async () => {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await t.close();
    });

    const storedSettings = async () =>
      (await t.store.db.selectFrom("sites").select("settings").where("id", "=", "default").executeTakeFirstOrThrow()).settings;
    const patch = (webhook: object | null) =>
      t.app.inject({ method: "PATCH", url: "/api/v1/admin/settings", headers: auth(admin.token), payload: { moderation: { webhook } } });
    const hook = (url: string) => ({ url, secret: "a-secret-of-16-chars", timeoutMs: 2000, failOpen: false });

    it("refuses a loopback, private or non-http URL when the settings are saved, and stores nothing", async () => {
      const stored = await storedSettings();
      for (const url of [...PRIVATE_URLS, `http://127.0.0.1:${port}/moderate`]) {
        const res = await patch(hook(url));
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.equal(res.json().error.code, "WEBHOOK_URL_NOT_PUBLIC", url);
      }
      const gopher = await patch(hook("gopher://moderation.example/check"));
      assert.equal(gopher.statusCode, 400);
      assert.equal(gopher.json().error.code, "VALIDATION_FAILED");
      assert.equal(await storedSettings(), stored, "the settings row is unchanged");
      const shown = await t.app.inject({ method: "GET", url: "/api/v1/admin/settings", headers: auth(admin.token) });
      assert.equal(shown.json().moderation.webhook, null);
      const log = await t.app.inject({ method: "GET", url: "/api/v1/moderation/log?action=settings.update", headers: auth(admin.token) });
      assert.deepEqual(log.json().items, [], "nothing was audited either");

      // A public name is taken (and removed before a comment could be sent to it).
      assert.equal((await patch(hook("https://moderation.example/check"))).statusCode, 200);
      assert.equal((await patch(null)).statusCode, 200);
    });

    it("refuses at call time a stored name that resolves to loopback: the receiver hears nothing, fail-closed holds", async () => {
      // As left by an older version, or by an installation that allowed private addresses.
      const store = async (failOpen: boolean) => {
        const settings = JSON.parse(await storedSettings());
        settings.moderation.webhook = { ...hook(`http://localhost:${port}/moderate`), failOpen };
        await t.store.db.updateTable("sites").set({ settings: JSON.stringify(settings) }).where("id", "=", "default").execute();
        forgetSites();
      };
      const storyId = await resolveStory(t.app);
      const reader = await signup(t.app, "Reader");
      const body = "A remark the moderation service must never see here.";

      await store(false);
      const held = await postComment(t.app, reader.token, storyId, { body });
      assert.equal(held.statusCode, 201, held.body);
      assert.equal(held.json().comment.status, "pending", "fail-closed holds the comment");
      const queue = await t.app.inject({ method: "GET", url: `/api/v1/moderation/queues/pending?storyId=${storyId}`, headers: auth(admin.token) });
      assert.deepEqual(queue.json().items[0].reasons.map((r: { code: string }) => r.code), ["WEBHOOK_UNAVAILABLE"]);

      await store(true);
      const published = await postComment(t.app, reader.token, storyId, { body: "Another remark, published without asking." });
      assert.equal(published.json().comment.status, "published", "fail-open publishes");

      assert.deepEqual(asked, [], "nothing reached the loopback receiver");
      const failures = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === "moderation webhook failed");
      assert.equal(failures.length, 2);
      for (const line of failures) {
        assert.equal(line.level, 40, "logged at warn");
        assert.match(line.err, /^refused: localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/);
      }
      assert.ok(!logLines.some((l) => l.includes("must never see") || l.includes("without asking")), "no comment body in the log");
    });
  });
}
