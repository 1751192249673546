import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { takeLease } from "../store/leases.js";
import { runScheduledBridging } from "./refit.js";
import { DIALECTS, type TestApp, manualClock, testApp } from "../../test/helpers.js";

const MINUTE = 60_000;

for (const { dialect, skip } of DIALECTS) {
  describe(`the scheduled bridging work runs on one node at a time on ${dialect}`, { skip }, () => {
    const clock = manualClock();
    let t: TestApp;
    before(async () => (t = await testApp(dialect, { clock })));
    after(() => t.close());

    it("hands a lease to one holder until it runs out, and renews it for that holder", async () => {
      const lease = (holder: string) => takeLease(t.store, { name: "test-lease", holder, now: clock.now(), ms: 5 * MINUTE });
      assert.equal(await lease("node-a"), true);
      assert.equal(await lease("node-b"), false, "node b must wait while a's lease runs");
      clock.advance(4 * MINUTE);
      assert.equal(await lease("node-a"), true, "the holder renews its own lease");
      clock.advance(4 * MINUTE);
      assert.equal(await lease("node-b"), false, "the renewal moved the end out");
      clock.advance(2 * MINUTE);
      assert.equal(await lease("node-b"), true, "a lease that ran out goes to the next caller");
      assert.equal(await lease("node-a"), false);
    });

    it("skips the refit while another node holds the bridging lease, and takes over when it lapses", async () => {
      assert.equal(await takeLease(t.store, { name: "bridging", holder: "another-node", now: clock.now(), ms: 12 * MINUTE }), true);
      assert.equal(await runScheduledBridging(t.app.deps, "refit", 12 * MINUTE), false);
      assert.equal(await runScheduledBridging(t.app.deps, "rescore", 12 * MINUTE), false);
      clock.advance(12 * MINUTE);
      assert.equal(await runScheduledBridging(t.app.deps, "refit", 12 * MINUTE), true);
      assert.equal(await runScheduledBridging(t.app.deps, "rescore", 12 * MINUTE), true, "the holder keeps it");
      const row = await t.store.db.selectFrom("outbox_leases").selectAll().where("name", "=", "bridging").executeTakeFirstOrThrow();
      assert.notEqual(row.holder, "another-node");
      assert.equal(row.expires_at, clock.now() + 12 * MINUTE);
    });
  });
}
