import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, manualClock, testApp } from "../../test/helpers.js";
import { startMailbox, tokenIn } from "../../test/mailbox.js";

const MINUTE = 60_000;
const PASSWORD = "the owner's long password";
const REDIS_URL = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

/** The account limits at their defaults (`accountLimits: {}`), in the database and in Redis. */
const SETUPS = [
  ...DIALECTS.map(({ dialect, skip }) => ({ name: dialect, dialect, skip, env: {} as Record<string, string> })),
  { name: "sqlite with Redis", dialect: "sqlite" as const, skip: false as const, env: { REDIS_URL } },
];

for (const { name, dialect, skip, env } of SETUPS) {
  describe(`abuse limits at their defaults on ${name}`, { skip }, () => {
    let t: TestApp;
    let mailbox: Awaited<ReturnType<typeof startMailbox>>;
    const clock = manualClock(Date.parse("2026-12-01T08:00:00Z") + Math.floor(Math.random() * 1e9));
    let n = 0;
    const address = (label: string) => `${label}-${++n}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const signup = (email: string, ip = "192.0.2.1") =>
      t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password: PASSWORD, displayName: "Owner" }, remoteAddress: ip });
    const login = (email: string, password: string, ip: string) =>
      t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password }, remoteAddress: ip });
    const owner = async (label: string) => {
      const email = address(label);
      assert.equal((await signup(email, `198.51.100.${n % 250}`)).statusCode, 201);
      return email;
    };

    before(async () => {
      mailbox = await startMailbox();
      t = await testApp(dialect, {
        clock,
        accountLimits: {},
        env: { ...env, SMTP_HOST: "127.0.0.1", SMTP_PORT: String(mailbox.port), SMTP_SECURE: "false" },
      });
    });
    after(async () => {
      await t.close();
      await mailbox.close();
    });

    it("checks at most 6 of 40 parallel wrong passwords from one address, refusing the rest with 429", async () => {
      const email = await owner("burst");
      const answers = await Promise.all(Array.from({ length: 40 }, () => login(email, "not the password", "203.0.113.7")));
      const checked = answers.filter((r) => r.statusCode === 401).length;
      assert.ok(checked <= 6, `${checked} passwords were checked`);
      assert.equal(answers.filter((r) => r.statusCode === 429).length, 40 - checked);
      assert.ok(Number(answers.find((r) => r.statusCode === 429)?.headers["retry-after"]) > 0);
    });

    it("checks at most 6 of 40 parallel wrong passwords from 40 addresses, and the owner still signs in where they usually do", async () => {
      const email = await owner("spread");
      assert.equal((await login(email, PASSWORD, "192.0.2.50")).statusCode, 200, "the owner's usual address");
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(email, "not the password", `203.0.113.${100 + i}`)));
      const checked = answers.filter((r) => r.statusCode === 401).length;
      assert.ok(checked <= 6, `${checked} passwords were checked`);
      assert.equal((await login(email, PASSWORD, "192.0.2.50")).statusCode, 200, "the owner is not locked out");
      assert.equal((await login(email, PASSWORD, "192.0.2.51")).statusCode, 429, "a new address waits while the account is under attack");
    });

    it("lets a locked-out owner back in through the mailed reset link", async () => {
      const email = await owner("reset");
      await Promise.all(Array.from({ length: 12 }, (_, i) => login(email, "not the password", `203.0.113.${200 + i}`)));
      assert.equal((await login(email, PASSWORD, "192.0.2.60")).statusCode, 429);
      clock.advance(61 * MINUTE); // the sign-up's verification mail took this hour's account mail
      assert.equal((await t.app.inject({ method: "POST", url: "/api/v1/auth/reset", payload: { email }, remoteAddress: "192.0.2.60" })).statusCode, 202);
      const token = tokenIn(await mailbox.waitFor(email, /Reset your password/));
      const reset = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset/confirm", payload: { token, password: "a brand new passphrase" }, remoteAddress: "192.0.2.60" });
      assert.equal(reset.statusCode, 204);
      assert.equal((await login(email, "a brand new passphrase", "192.0.2.60")).statusCode, 200);
    });

    it("does not accept 60 sign-ups from one address in a minute", async () => {
      const answers = [];
      for (let i = 0; i < 60; i++) answers.push((await signup(address("flood"), "203.0.113.250")).statusCode);
      assert.equal(answers.filter((s) => s === 201).length, 30);
      assert.ok(answers.slice(30).every((s) => s === 429));
      assert.equal((await signup(address("elsewhere"), "203.0.113.251")).statusCode, 201, "another address is not affected");
    });

    it("sends one address at most one account mail an hour, however often it is signed up with", async () => {
      const email = address("inbox");
      const mailsTo = async () => {
        const user = await t.store.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
        const jobs = await t.store.db.selectFrom("outbox_jobs").select("payload").where("kind", "=", "account-mail").execute();
        return jobs.filter((j) => JSON.parse(j.payload).userId === user.id).length;
      };
      for (let i = 0; i < 4; i++) await signup(email, `198.18.0.${i + 1}`);
      assert.equal(await mailsTo(), 1, "the verification mail only");
      clock.advance(61 * MINUTE);
      await signup(email, "198.18.1.1");
      assert.equal(await mailsTo(), 2, "a new hour, one more");
    });
  });
}

describe("password hashing under a burst", () => {
  let t: TestApp;
  before(async () => {
    // Relaxed sign-in limits, so the burst reaches the hashing queue; the real memory cost, so each hash takes its time.
    t = await testApp("sqlite", { env: { PARLEY_PASSWORD_MEMORY_KIB: "19456" } });
  });
  after(() => t.close());

  it("answers 503 with Retry-After once the hashing queue is full, instead of queueing every sign-in", async () => {
    const email = `burst-${Date.now()}@example.com`;
    const made = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password: PASSWORD, displayName: "Owner" } });
    assert.equal(made.statusCode, 201);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: "not the password" }, remoteAddress: `203.0.113.${i}` }),
      ),
    );
    const statuses = answers.map((r) => r.statusCode);
    // 401: checked and wrong; 429: past the (relaxed) account limit; 503: the queue was full.
    assert.ok(statuses.every((s) => s === 401 || s === 429 || s === 503), `only refusals and busy answers: ${[...new Set(statuses)]}`);
    const busy = answers.filter((r) => r.statusCode === 503);
    assert.ok(busy.length > 0, "some were told to come back");
    assert.ok(busy.every((r) => r.headers["retry-after"] === "2" && r.json().error.code === "SERVICE_UNAVAILABLE"));
    assert.equal((await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: PASSWORD } })).statusCode, 200);
  });
});
