import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, post, resolveStory, testApp } from "../../test/helpers.js";
import { HANDLERS } from "./handlers.js";
import { account, startReceiver } from "../../test/notifications.js";
import { OutboxWorker } from "./worker.js";

// The receiver is on loopback, which webhooks may reach only with PARLEY_WEBHOOK_ALLOW_PRIVATE.
const ENV = { PARLEY_WORKER: "false", PARLEY_OUTBOX_RETRY_BASE_MS: "1000", PARLEY_OUTBOX_MAX_ATTEMPTS: "5", PARLEY_WEBHOOK_ALLOW_PRIVATE: "true" };

/** URLs of this machine or a private network, each as an admin might type it. */
const PRIVATE_URLS = [
  "http://127.0.0.1:8080/hooks",
  "http://2130706433/hooks",
  "http://localhost/hooks",
  "http://LOCALHOST./hooks",
  "http://api.localhost/hooks",
  "http://0.0.0.0/hooks",
  "http://10.1.2.3/hooks",
  "http://172.16.0.1/hooks",
  "http://192.168.1.1/hooks",
  "http://100.64.0.1/hooks",
  "http://169.254.169.254/latest/meta-data/",
  "http://224.0.0.1/hooks",
  "http://[::1]/hooks",
  "http://[::]/hooks",
  "https://[::ffff:127.0.0.1]/hooks",
  "http://[::ffff:a9fe:a9fe]/hooks",
  "http://[fd12:3456::1]/hooks",
  "http://[fe80::1]/hooks",
  "http://[ff02::1]/hooks",
];

for (const { dialect, skip } of DIALECTS) {
  describe(`webhooks on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let worker: OutboxWorker;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const secrets: string[] = [];
    const clock = manualClock();
    let admin: Awaited<ReturnType<typeof account>>;
    let webhookId = "";

    before(async () => {
      t = await testApp(dialect, { clock, env: ENV });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
      receiver = await startReceiver({ secrets: () => secrets, failFirst: 2 });
      admin = await account(t.app, "Admin", "admin");
    });
    after(async () => {
      await worker.stop();
      await receiver.close();
      await t.close();
    });

    /** Runs the worker through every retry (moving the clock past each backoff). */
    async function settle() {
      for (let round = 0; round < 8; round++) {
        await worker.drain();
        clock.advance(60_000);
      }
    }

    it("signs every delivery, retries a failing receiver and logs each attempt", async () => {
      const created = await t.app.inject({
        method: "POST",
        url: "/api/v1/admin/webhooks",
        headers: auth(admin.token),
        payload: { url: receiver.url, events: ["story.created", "comment.created", "comment.published", "comment.rejected", "comment.reported", "user.banned"] },
      });
      assert.equal(created.statusCode, 201, created.body);
      webhookId = created.json().webhook.id;
      secrets.push(created.json().secret.secret);
      assert.match(secrets[0]!, /^whsec_/);
      const listed = await t.app.inject({ method: "GET", url: "/api/v1/admin/webhooks", headers: auth(admin.token) });
      assert.equal(listed.json().items[0].secrets[0].hint, secrets[0]!.slice(-4));
      assert.ok(!listed.body.includes(secrets[0]!), "the secret is shown once, never listed");

      const storyId = await resolveStory(t.app);
      const reader = await account(t.app, "Reader");
      const comment = await post(t.app, reader.token, storyId, "The figures in paragraph three are from 2019.");
      await settle();

      const hooks = receiver.received;
      assert.ok(hooks.every((h) => h.valid), "every signature verifies");
      const types = [...new Set(hooks.map((h) => h.event))].sort();
      assert.deepEqual(types, ["comment.created", "story.created"]);
      const commentHooks = hooks.filter((h) => h.event === "comment.created");
      assert.equal(commentHooks.length, 3, "two failures, then success");
      assert.equal(new Set(commentHooks.map((h) => h.id)).size, 1, "every retry carries the same event id");
      assert.equal(new Set(commentHooks.map((h) => h.body)).size, 1, "and the same body");
      const body = JSON.parse(commentHooks[0]!.body);
      assert.equal(body.id, commentHooks[0]!.id);
      assert.equal(body.type, "comment.created");
      assert.equal(body.siteId, "default");
      assert.equal(body.data.comment.id, comment.id);
      assert.equal(body.data.comment.storyId, storyId);
      assert.equal(body.data.comment.authorId, reader.id);
      assert.equal(body.data.comment.status, "published");
      assert.equal(body.data.comment.body, "The figures in paragraph three are from 2019.");
      assert.ok(!commentHooks[0]!.body.includes(reader.email), "no e-mail address leaves in a webhook");

      const deliveries = await t.app.inject({ method: "GET", url: `/api/v1/admin/webhooks/${webhookId}/deliveries`, headers: auth(admin.token) });
      assert.equal(deliveries.statusCode, 200);
      const forComment = deliveries.json().items.filter((d: { eventId: string }) => d.eventId === body.id);
      assert.deepEqual(
        forComment.map((d: { attempt: number; statusCode: number }) => [d.attempt, d.statusCode]),
        [
          [3, 204],
          [2, 500],
          [1, 500],
        ],
      );
    });

    it("sends moderation outcomes, reports and bans", async () => {
      const storyId = await resolveStory(t.app);
      const moderator = await account(t.app, "Moderator", "moderator");
      const author = await account(t.app, "Author");
      const other = await account(t.app, "Other");
      const comment = await post(t.app, author.token, storyId, "A claim a reader will report.");
      const report = await t.app.inject({ method: "POST", url: `/api/v1/comments/${comment.id}/reports`, headers: auth(other.token), payload: { reason: "spam" } });
      assert.equal(report.statusCode < 300, true, report.body);
      const decision = await t.app.inject({
        method: "POST",
        url: `/api/v1/moderation/comments/${comment.id}/decision`,
        headers: auth(moderator.token),
        payload: { action: "reject", reason: { code: "spam", text: "Link farm" } },
      });
      assert.equal(decision.statusCode, 200, decision.body);
      const ban = await t.app.inject({ method: "POST", url: `/api/v1/moderation/users/${other.id}/actions`, headers: auth(moderator.token), payload: { action: "ban", message: "Serial abuse" } });
      assert.equal(ban.statusCode, 200, ban.body);
      await settle();
      const last = (type: string) => JSON.parse(receiver.received.filter((h) => h.event === type).at(-1)!.body);
      assert.deepEqual(last("comment.reported").data.report, { reason: "spam", held: false });
      assert.equal(last("comment.rejected").data.comment.id, comment.id);
      assert.deepEqual(last("comment.rejected").data.reason, { code: "spam", text: "Link farm" });
      assert.equal(last("user.banned").data.user.id, other.id);
      assert.equal(last("user.banned").data.reason, "Serial abuse");
    });

    it("rotates secrets without a gap: both sign until the old one is retired", async () => {
      const added = await t.app.inject({ method: "POST", url: `/api/v1/admin/webhooks/${webhookId}/secrets`, headers: auth(admin.token) });
      assert.equal(added.statusCode, 201);
      const [old] = secrets.splice(0, 1, added.json().secret.secret); // the receiver now knows only the new one
      await resolveStory(t.app);
      await settle();
      const rotated = receiver.received.at(-1)!;
      assert.equal(rotated.valid, true);
      assert.equal(rotated.signature.split(" ").length, 2, "one signature per active secret");

      const hook = (await t.app.inject({ method: "GET", url: "/api/v1/admin/webhooks", headers: auth(admin.token) })).json().items[0];
      const oldId = hook.secrets.find((s: { hint: string }) => s.hint === old!.slice(-4)).id;
      const retired = await t.app.inject({ method: "DELETE", url: `/api/v1/admin/webhooks/${webhookId}/secrets/${oldId}`, headers: auth(admin.token) });
      assert.equal(retired.statusCode, 200);
      const last = await t.app.inject({ method: "DELETE", url: `/api/v1/admin/webhooks/${webhookId}/secrets/${retired.json().webhook.secrets[0].id}`, headers: auth(admin.token) });
      assert.equal(last.statusCode, 409, "the last secret stays");
      await resolveStory(t.app);
      await settle();
      assert.equal(receiver.received.at(-1)!.signature.split(" ").length, 1);
      assert.equal(receiver.received.at(-1)!.valid, true);
    });

    it("replays a delivery with the same event id and body, for admins only", async () => {
      const deliveries = (await t.app.inject({ method: "GET", url: `/api/v1/admin/webhooks/${webhookId}/deliveries?limit=1`, headers: auth(admin.token) })).json();
      assert.ok(deliveries.nextCursor);
      const delivery = deliveries.items[0];
      const reader = await account(t.app, "Reader");
      const denied = await t.app.inject({ method: "POST", url: `/api/v1/admin/webhooks/deliveries/${delivery.id}/replay`, headers: auth(reader.token) });
      assert.equal(denied.statusCode, 403);
      const before = receiver.received.filter((h) => h.id === delivery.eventId);
      const replay = await t.app.inject({ method: "POST", url: `/api/v1/admin/webhooks/deliveries/${delivery.id}/replay`, headers: auth(admin.token) });
      assert.equal(replay.statusCode, 202);
      await settle();
      const after = receiver.received.filter((h) => h.id === delivery.eventId);
      assert.ok(after.length > before.length, "sent again");
      assert.equal(after.at(-1)!.body, before[0]!.body);
      assert.equal(after.at(-1)!.valid, true);
    });
  });
}

for (const { dialect, skip } of DIALECTS) {
  describe(`webhook addresses by default on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let worker: OutboxWorker;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let admin: Awaited<ReturnType<typeof account>>;
    const clock = manualClock();

    before(async () => {
      t = await testApp(dialect, { clock, env: { PARLEY_WORKER: "false" } });
      worker = new OutboxWorker(t.app.deps, HANDLERS);
      receiver = await startReceiver({ secrets: () => ["whsec_test"] });
      admin = await account(t.app, "Admin", "admin");
    });
    after(async () => {
      await worker.stop();
      await receiver.close();
      await t.close();
    });

    const list = async () => (await t.app.inject({ method: "GET", url: "/api/v1/admin/webhooks", headers: auth(admin.token) })).json().items;

    it("refuses a private or loopback URL when a webhook is added or changed, and stores nothing", async () => {
      for (const url of PRIVATE_URLS) {
        const res = await t.app.inject({ method: "POST", url: "/api/v1/admin/webhooks", headers: auth(admin.token), payload: { url, events: ["*"] } });
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.equal(res.json().error.code, "WEBHOOK_URL_NOT_PUBLIC", url);
      }
      assert.deepEqual(await list(), []);

      // A public name is taken (and removed before anything could be sent to it).
      const made = await t.app.inject({ method: "POST", url: "/api/v1/admin/webhooks", headers: auth(admin.token), payload: { url: "https://feeds.example/hook", events: ["comment.published"] } });
      assert.equal(made.statusCode, 201, made.body);
      const id = made.json().webhook.id;
      const moved = await t.app.inject({ method: "PATCH", url: `/api/v1/admin/webhooks/${id}`, headers: auth(admin.token), payload: { url: "http://169.254.169.254/latest/", active: false } });
      assert.equal(moved.statusCode, 400, moved.body);
      assert.equal(moved.json().error.code, "WEBHOOK_URL_NOT_PUBLIC");
      assert.deepEqual((await list()).map((e: { url: string; active: boolean }) => [e.url, e.active]), [["https://feeds.example/hook", true]]);
      assert.equal((await t.app.inject({ method: "DELETE", url: `/api/v1/admin/webhooks/${id}`, headers: auth(admin.token) })).statusCode, 204);
    });

    it("refuses at delivery a stored URL whose name resolves to loopback: the receiver hears nothing", async () => {
      // As left by an older version or an installation that allowed private addresses.
      const port = new URL(receiver.url).port;
      const now = clock.now();
      const stored = (id: string, url: string) => ({ id, site_id: "default", url, events: '["*"]', secrets: JSON.stringify([{ id: `${id}-s`, secret: "whsec_test", createdAt: "" }]), active: 1, created_at: now, updated_at: now });
      await t.store.db.insertInto("webhook_endpoints").values([stored("by-name", `http://localhost:${port}/hooks`), stored("by-address", receiver.url)]).execute();

      await resolveStory(t.app);
      await worker.drain();

      assert.deepEqual(receiver.received, [], "no delivery reached the loopback receiver");
      const deliveries = await t.store.db.selectFrom("webhook_deliveries").select(["endpoint_id", "status_code", "error"]).orderBy("endpoint_id").execute();
      assert.deepEqual(deliveries.map((d) => [d.endpoint_id, d.status_code]), [["by-address", null], ["by-name", null]]);
      assert.match(deliveries[0]!.error ?? "", /^refused: 127\.0\.0\.1 is not a public address$/);
      assert.match(deliveries[1]!.error ?? "", /^refused: localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/);
      const jobs = await t.store.db.selectFrom("outbox_jobs").select(["status", "last_error"]).where("kind", "=", "webhook").execute();
      assert.ok(jobs.length === 2 && jobs.every((j) => j.status !== "done"), "the jobs failed (and would be retried, then dead-lettered)");
    });
  });
}
