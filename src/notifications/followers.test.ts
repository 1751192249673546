import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, manualClock, post, resolveStory, testApp } from "../../test/helpers.js";
import { claimDueJobs, releaseLease } from "../store/outbox-lease.js";
import type { OutboxJobRow } from "../store/schema.js";
import { FOLLOWERS_PER_BATCH, type FollowersJob, tellFollowersBatch } from "./followers.js";
import { HANDLERS } from "./handlers.js";
import { markDone } from "./outbox.js";
import { account } from "../../test/notifications.js";
import { OutboxWorker } from "./worker.js";

const FOLLOWERS = 2000;
const LEASE_MS = 60_000;
/** Follower ids sort as they are numbered: the 1,000th is the cursor after two batches. */
const followerId = (i: number) => `follower${String(i).padStart(5, "0")}`;

for (const { dialect, skip } of DIALECTS) {
  describe(`a story's followers told in batches on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    let author: Awaited<ReturnType<typeof account>>;

    before(async () => {
      t = await testApp(dialect, { clock, env: { PARLEY_WORKER: "false", PARLEY_OUTBOX_LEASE_SECONDS: String(LEASE_MS / 1000) } });
      author = await account(t.app, "Author");
      const now = clock.now();
      for (let from = 0; from < FOLLOWERS; from += 250) {
        const users = Array.from({ length: 250 }, (_, i) => ({
          id: followerId(from + i),
          email: null,
          password_hash: null,
          display_name: `Follower ${from + i}`,
          role: "commenter" as const,
          status: "active" as const,
          suspended_until: null,
          created_at: now,
          warning: null,
          email_verified_at: null,
        }));
        await t.store.db.insertInto("users").values(users).execute();
      }
    });
    after(() => t.close());

    /** A story followed by every follower (half of them by digest) and by its commenter. */
    async function followedStory(): Promise<string> {
      const storyId = await resolveStory(t.app);
      const settle = new OutboxWorker(t.app.deps, HANDLERS);
      await settle.drain(); // the story's own story.created event
      await settle.stop();
      const now = clock.now();
      for (let from = 0; from < FOLLOWERS; from += 500) {
        const follows = Array.from({ length: 500 }, (_, i) => ({
          story_id: storyId,
          user_id: followerId(from + i),
          mode: (from + i) % 2 === 0 ? ("digest" as const) : ("inapp" as const),
          created_at: now,
        }));
        await t.store.db.insertInto("story_follows").values(follows).execute();
      }
      await t.store.db.insertInto("story_follows").values({ story_id: storyId, user_id: author.id, mode: "inapp" as const, created_at: now }).execute();
      return storyId;
    }

    /** Posts a top-level comment and runs its event job only: what is left is the followers job. */
    async function commentWithFollowersJob(storyId: string): Promise<{ commentId: string; job: OutboxJobRow }> {
      const comment = await post(t.app, author.token, storyId, "A new question for everyone following.");
      const events = await claimDueJobs(t.store, { worker: "events", now: clock.now(), leaseMs: LEASE_MS, limit: 10 });
      assert.deepEqual(events.map((j) => j.kind), ["event"], "the comment's transaction wrote one job");
      await HANDLERS.event(t.app.deps, events[0]!, "events");
      await markDone(t.store.db, events[0]!, "events", clock.now());
      await releaseLease(t.store, "events");
      assert.equal(await told(comment.id), 0, "the event's own transaction tells no follower");
      const job = await t.store.db.selectFrom("outbox_jobs").selectAll().where("kind", "=", "followers").where("status", "=", "queued").executeTakeFirstOrThrow();
      return { commentId: comment.id, job };
    }

    const notificationsOf = (commentId: string) =>
      t.store.db.selectFrom("notifications").select(["user_id", "digest"]).where("comment_id", "=", commentId).where("kind", "=", "story.comment").execute();
    const told = async (commentId: string) => (await notificationsOf(commentId)).length;

    async function assertEachToldOnce(commentId: string) {
      const rows = await notificationsOf(commentId);
      const perUser = new Map<string, number>();
      for (const r of rows) perUser.set(r.user_id, (perUser.get(r.user_id) ?? 0) + 1);
      assert.equal(perUser.size, FOLLOWERS, "every follower was told");
      assert.ok([...perUser.values()].every((n) => n === 1), "and only once");
      assert.equal(perUser.has(author.id), false, "not the commenter");
      assert.equal(rows.filter((r) => r.digest === 1).length, FOLLOWERS / 2, "digest followers wait for their digest");
    }

    it(`tells each of ${FOLLOWERS} followers once, ${FOLLOWERS_PER_BATCH} per transaction`, async () => {
      const storyId = await followedStory();
      const { commentId, job } = await commentWithFollowersJob(storyId);
      const worker = new OutboxWorker(t.app.deps, HANDLERS);
      await worker.drain();
      await worker.stop();
      await assertEachToldOnce(commentId);
      const done = await t.store.db.selectFrom("outbox_jobs").selectAll().where("id", "=", job.id).executeTakeFirstOrThrow();
      assert.equal(done.status, "done");
      assert.equal((JSON.parse(done.payload) as FollowersJob).after, followerId(FOLLOWERS - 1));
      const digests = await t.store.db.selectFrom("outbox_jobs").select("key").where("kind", "=", "digest").execute();
      assert.equal(digests.length, FOLLOWERS / 2, "one digest job per digest follower");
      clock.advance(LEASE_MS + 1);
    });

    it("resumes after a worker dies between batches: nobody skipped, nobody told twice", async () => {
      const storyId = await followedStory();
      const { commentId } = await commentWithFollowersJob(storyId);
      const [claimed] = await claimDueJobs(t.store, { worker: "doomed", now: clock.now(), leaseMs: LEASE_MS, limit: 10 });
      assert.equal(claimed?.kind, "followers");
      let progress = JSON.parse(claimed.payload) as FollowersJob;
      for (let batch = 0; batch < 2; batch++) progress = (await tellFollowersBatch(t.app.deps, claimed, "doomed", progress))!;
      // ... and the doomed worker dies here, holding the job.
      assert.equal(await told(commentId), 2 * FOLLOWERS_PER_BATCH, "two whole batches committed");
      const held = await t.store.db.selectFrom("outbox_jobs").selectAll().where("id", "=", claimed.id).executeTakeFirstOrThrow();
      assert.equal((JSON.parse(held.payload) as FollowersJob).after, followerId(2 * FOLLOWERS_PER_BATCH - 1), "the cursor committed with them");

      const survivor = new OutboxWorker(t.app.deps, HANDLERS);
      assert.equal(await survivor.drain(), 0, "held while the lease lasts");
      clock.advance(LEASE_MS + 1);
      assert.equal(await survivor.drain(), 1);
      await survivor.stop();
      await assertEachToldOnce(commentId);
      const done = await t.store.db.selectFrom("outbox_jobs").selectAll().where("id", "=", claimed.id).executeTakeFirstOrThrow();
      assert.deepEqual([done.status, done.attempts], ["done", 2]);

      await assert.rejects(tellFollowersBatch(t.app.deps, claimed, "doomed", progress), /taken this job over/, "the dead worker, back, may not go on");
      await assertEachToldOnce(commentId);
      clock.advance(LEASE_MS + 1);
    });

    it("puts the job down between batches when its worker stops; another worker finishes it", async (context) => {
      const storyId = await followedStory();
      const { commentId, job } = await commentWithFollowersJob(storyId);
      const worker = new OutboxWorker(t.app.deps, HANDLERS);
      const cursor = async () =>
        (JSON.parse((await t.store.read.selectFrom("outbox_jobs").select("payload").where("id", "=", job.id).executeTakeFirstOrThrow()).payload) as FollowersJob).after;
      worker.start();
      while ((await cursor()) === null) await new Promise((resolve) => setTimeout(resolve, 2));
      await worker.stop();

      const row = await t.store.db.selectFrom("outbox_jobs").selectAll().where("id", "=", job.id).executeTakeFirstOrThrow();
      if (row.status === "done") {
        // The machine outran the stop: nothing left to resume, but the count still holds.
        context.diagnostic("the worker finished every batch before it saw the stop");
        await assertEachToldOnce(commentId);
        return;
      }
      const count = await told(commentId);
      context.diagnostic(`stopped after ${count} followers`);
      assert.equal(count % FOLLOWERS_PER_BATCH, 0, "stopped between whole batches");
      assert.ok(count > 0 && count < FOLLOWERS);
      assert.equal((JSON.parse(row.payload) as FollowersJob).after, followerId(count - 1));
      assert.deepEqual([row.status, row.locked_by, row.attempts], ["queued", null, 0], "back in the queue at once, the attempt not counted");

      const next = new OutboxWorker(t.app.deps, HANDLERS);
      assert.equal(await next.drain(), 1, "no lease to wait for");
      await next.stop();
      await assertEachToldOnce(commentId);
    });
  });
}
