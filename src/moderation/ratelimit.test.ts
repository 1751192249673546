import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { DIALECTS, type TestApp, testApp } from "../../test/helpers.js";
import { type RateLimiter, databaseRateLimiter, redisRateLimiter } from "./ratelimit.js";

const REDIS_URL = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

async function redisAnswers(): Promise<Redis | null> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return null;
  }
}

async function behavesAsAWindowFromTheFirstHit(limiter: RateLimiter) {
  const key = `test:${randomBytes(4).toString("hex")}`;
  const start = 1_000_000_000_000;
  const hits = [];
  for (let i = 0; i < 4; i++) hits.push(await limiter.hit(key, 3, 10_000, start + i));
  assert.deepEqual(hits.map((h) => h.allowed), [true, true, true, false]);
  assert.equal(hits[3].retryAfterMs, 10_000 - 3);
  assert.equal((await limiter.hit(key, 3, 10_000, start + 10_000)).allowed, true, "a new window starts afresh");
  assert.equal((await limiter.hit(`${key}:other`, 3, 10_000, start)).allowed, true, "keys are independent");
  // One per 5 s: a hit just before a clock boundary and one just after it are 50 ms apart.
  const once = `${key}:once`;
  assert.equal((await limiter.hit(once, 1, 5_000, start + 4_980)).allowed, true);
  const soon = await limiter.hit(once, 1, 5_000, start + 5_030);
  assert.equal(soon.allowed, false, "the window runs from the first hit, not from a clock boundary");
  assert.equal(soon.retryAfterMs, 4_950);
  assert.equal((await limiter.hit(once, 1, 5_000, start + 9_980)).allowed, true, "and ends 5 s after it");
}

for (const { dialect, skip } of DIALECTS) {
  describe(`rate limits in the database on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());
    it("counts hits in windows from the first hit, shared by every node", () => behavesAsAWindowFromTheFirstHit(databaseRateLimiter(t.store.db)));
  });
}

const redis = await redisAnswers();
if (!redis && process.env.CI === "true") throw new Error(`Redis does not answer at ${REDIS_URL}`);
describe("rate limits in Redis", { skip: redis ? false : `Redis not reachable at ${REDIS_URL}; skipping` }, () => {
  after(() => redis?.quit());
  it("counts hits in windows from the first hit, shared by every node", () => behavesAsAWindowFromTheFirstHit(redisRateLimiter(redis as Redis)));
});
