import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, testApp } from "../../test/helpers.js";
import { claimDueJobs } from "../store/outbox-lease.js";
import type { OutboxJobRow } from "../store/schema.js";
import { enqueue, retryDelay } from "./outbox.js";
import { account } from "../../test/notifications.js";
import { type Handlers, OutboxWorker } from "./worker.js";

const ENV = { PARLEY_WORKER: "false", PARLEY_OUTBOX_MAX_ATTEMPTS: "3", PARLEY_OUTBOX_RETRY_BASE_MS: "1000", PARLEY_OUTBOX_LEASE_SECONDS: "60" };

function recordingHandlers(fail: (job: OutboxJobRow) => boolean) {
  const ran: string[] = [];
  const run = async (_deps: unknown, job: OutboxJobRow) => {
    ran.push(job.key);
    if (fail(job)) throw new Error("receiver said no");
  };
  const handlers: Handlers = { event: run, webhook: run, email: run, digest: run, "account-mail": run, followers: run, "compliance-mail": run };
  return { ran, handlers };
}

describe("retry delays", () => {
  it("double each attempt, stay in the upper half of their window and stop growing at six hours", () => {
    assert.equal(retryDelay(1, 1000, () => 0), 500);
    assert.equal(retryDelay(1, 1000, () => 1), 1000);
    assert.equal(retryDelay(4, 1000, () => 1), 8000);
    assert.equal(retryDelay(40, 1000, () => 1), 6 * 3600_000);
    const spread = new Set(Array.from({ length: 50 }, () => retryDelay(3, 1000)));
    assert.ok(spread.size > 10, "jitter spreads retries");
  });
});

for (const { dialect, skip } of DIALECTS) {
  describe(`outbox on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    before(async () => (t = await testApp(dialect, { clock, env: ENV })));
    after(() => t.close());

    const jobs = () => t.store.db.selectFrom("outbox_jobs").selectAll().where("kind", "=", "webhook").execute();

    it("writes a job exactly when the change that causes it commits", async () => {
      const deps = t.app.deps;
      await assert.rejects(
        deps.store.db.transaction().execute(async (trx) => {
          await enqueue(trx, deps, { kind: "webhook", key: "rolled-back", payload: {} });
          throw new Error("the change failed");
        }),
      );
      await deps.store.db.transaction().execute((trx) => enqueue(trx, deps, { kind: "webhook", key: "committed", payload: {} }));
      const keys = (await jobs()).map((j) => j.key);
      assert.deepEqual(keys, ["committed"]);
      assert.equal(await enqueue(deps.store.db, deps, { kind: "webhook", key: "committed", payload: {} }), null, "one job per key");
      await deps.store.db.deleteFrom("outbox_jobs").execute();
    });

    it("retries with growing delays, then dead-letters a job admins can see and send round again", async () => {
      const deps = t.app.deps;
      const { ran, handlers } = recordingHandlers(() => true);
      const worker = new OutboxWorker(deps, handlers);
      await enqueue(deps.store.db, deps, { kind: "webhook", key: "doomed", siteId: "default", payload: {} });
      assert.equal(await worker.drain(), 1);
      assert.equal(await worker.drain(), 0, "not again before its backoff");
      let [job] = await jobs();
      assert.equal(job!.attempts, 1);
      assert.ok(job!.due_at - clock.now() >= 500 && job!.due_at - clock.now() <= 1000, "first retry after 0.5-1 s");
      clock.advance(1000);
      assert.equal(await worker.drain(), 1);
      [job] = await jobs();
      assert.ok(job!.due_at - clock.now() >= 1000 && job!.due_at - clock.now() <= 2000, "second retry after 1-2 s");
      clock.advance(2000);
      await worker.drain();
      [job] = await jobs();
      assert.equal(job!.status, "dead");
      assert.equal(job!.last_error, "receiver said no");
      assert.equal(ran.length, 3);
      await worker.stop(); // gives the SQLite lease back

      const admin = await account(t.app, "Admin", "admin");
      const reader = await account(t.app, "Reader");
      const denied = await t.app.inject({ method: "GET", url: "/api/v1/admin/outbox/dead", headers: auth(reader.token) });
      assert.equal(denied.statusCode, 403);
      const dead = await t.app.inject({ method: "GET", url: "/api/v1/admin/outbox/dead?siteId=default", headers: auth(admin.token) });
      assert.equal(dead.statusCode, 200);
      assert.deepEqual(
        dead.json().items.map((j: { key: string; attempts: number; lastError: string }) => [j.key, j.attempts, j.lastError]),
        [["doomed", 3, "receiver said no"]],
      );
      const retry = await t.app.inject({ method: "POST", url: `/api/v1/admin/outbox/jobs/${job!.id}/retry`, headers: auth(admin.token) });
      assert.equal(retry.statusCode, 200);
      assert.equal(retry.json().job.status, "queued");
      const fixed = new OutboxWorker(deps, recordingHandlers(() => false).handlers);
      assert.equal(await fixed.drain(), 1);
      [job] = await jobs();
      assert.equal(job!.status, "done");
      await fixed.stop();
      await deps.store.db.deleteFrom("outbox_jobs").execute();
    });

    it("gives a dead worker's claimed jobs to another worker once the lease runs out", async () => {
      const deps = t.app.deps;
      await enqueue(deps.store.db, deps, { kind: "webhook", key: "orphan", payload: {} });
      const claimed = await claimDueJobs(deps.store, { worker: "dead-worker", now: clock.now(), leaseMs: 60_000, limit: 10 });
      assert.equal(claimed.length, 1);
      const { ran, handlers } = recordingHandlers(() => false);
      const survivor = new OutboxWorker(deps, handlers);
      assert.equal(await survivor.drain(), 0, "held while the lease lasts");
      clock.advance(60_001);
      assert.equal(await survivor.drain(), 1);
      assert.deepEqual(ran, ["orphan"]);
      const [job] = await jobs();
      assert.equal(job!.attempts, 2, "the lost attempt counts");
      assert.equal(job!.status, "done");
      await deps.store.db.deleteFrom("outbox_jobs").execute();
    });

    it(dialect === "postgres" ? "lets workers claim at once, each a disjoint set (SKIP LOCKED)" : "lets only the lease holder claim", async () => {
      const deps = t.app.deps;
      clock.advance(120_000); // past the previous test's worker lease
      for (let i = 0; i < 20; i++) await enqueue(deps.store.db, deps, { kind: "webhook", key: `parallel-${i}`, payload: {} });
      const claim = (worker: string) => claimDueJobs(deps.store, { worker, now: clock.now(), leaseMs: 60_000, limit: 12 });
      const [a, b] = await Promise.all([claim("a"), claim("b")]);
      const ids = [...a, ...b].map((j) => j.key);
      assert.equal(new Set(ids).size, ids.length, "no job claimed twice");
      if (dialect === "postgres") {
        assert.equal(ids.length, 20, "together they took every job");
      } else {
        assert.deepEqual([a.length, b.length].sort(), [0, 12], "one worker holds the lease");
        assert.equal((await claim(a.length ? "b" : "a")).length, 0, "the other still waits");
      }
      await deps.store.db.deleteFrom("outbox_jobs").execute();
    });
  });
}
