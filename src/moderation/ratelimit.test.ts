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

async function behavesAsAFixedWindow(limiter: RateLimiter) {
  const key = `test:${randomBytes(4).toString("hex")}`;
  const start = 1_000_000_000_000;
  const hits = [];
  for (let i = 0; i < 4; i++) hits.push(await limiter.hit(key, 3, 10_000, start + i));
  assert.deepEqual(hits.map((h) => h.allowed), [true, true, true, false]);
  assert.equal(hits[3].retryAfterMs, 10_000 - 3);
  assert.equal((await limiter.hit(key, 3, 10_000, start + 10_000)).allowed, true, "a new window starts afresh");
  assert.equal((await limiter.hit(`${key}:other`, 3, 10_000, start)).allowed, true, "keys are independent");
}

for (const { dialect, skip } of DIALECTS) {
  describe(`rate limits in the database on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());
    it("counts hits in fixed windows shared by every node", () => behavesAsAFixedWindow(databaseRateLimiter(t.store.db)));
  });
}

const redis = await redisAnswers();
if (!redis && process.env.CI === "true") throw new Error(`Redis does not answer at ${REDIS_URL}`);
describe("rate limits in Redis", { skip: redis ? false : `Redis not reachable at ${REDIS_URL}; skipping` }, () => {
  after(() => redis?.quit());
  it("counts hits in fixed windows shared by every node", () => behavesAsAFixedWindow(redisRateLimiter(redis as Redis)));
});
