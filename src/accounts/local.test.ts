import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, manualClock, testApp } from "../../test/helpers.js";
import { startMailbox, tokenIn } from "../../test/mailbox.js";

const MINUTE = 60_000;
type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

for (const { dialect, skip } of DIALECTS) {
  describe(`local accounts with real mail on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let mailbox: Mailbox;
    const clock = manualClock();
    let n = 0;
    const address = (name: string) => `${name}-${++n}@example.com`;
    const signupAs = async (email: string, password = "a long enough password") => {
      const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password, displayName: "Mail reader" } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<{ token: string; user: { id: string } }>();
    };
    const login = (email: string, password: string, remoteAddress = "127.0.0.1") =>
      t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password }, remoteAddress });

    before(async () => {
      mailbox = await startMailbox();
      t = await testApp(dialect, {
        clock,
        // Sign-in limits at their defaults; sign-ups and mails from the one test address are not what this suite checks.
        accountLimits: { signupsPerAddressPerHour: 1000, accountMailsPerAddressPerHour: 100 },
        env: { SMTP_HOST: "127.0.0.1", SMTP_PORT: String(mailbox.port), SMTP_SECURE: "false", MAIL_FROM: "Parley <no-reply@parley.test>" },
      });
    });
    after(async () => {
      await t.close();
      await mailbox.close();
    });

    it("mails a verification link on signup; the link verifies once", async () => {
      const email = address("verify");
      const { token } = await signupAs(email);
      const me = async () => (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) })).json().user;
      assert.equal((await me()).emailVerified, false);
      const link = tokenIn(await mailbox.waitFor(email, /Confirm your e-mail/));
      const first = await t.app.inject({ method: "POST", url: "/api/v1/auth/verify", payload: { token: link } });
      assert.equal(first.statusCode, 200);
      assert.equal((await me()).emailVerified, true);
      const again = await t.app.inject({ method: "POST", url: "/api/v1/auth/verify", payload: { token: link } });
      assert.equal(again.statusCode, 400);
      assert.equal(again.json().error.code, "ACCOUNT_TOKEN_INVALID");
    });

    it("tells the owner, not the caller, when someone signs up with a known address", async () => {
      const email = address("known");
      await signupAs(email);
      await mailbox.waitFor(email, /Confirm your e-mail/);
      const again = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password: "another long password", displayName: "Intruder" } });
      assert.equal(again.statusCode, 201);
      const notice = await mailbox.waitFor(email, /already have an account/);
      assert.doesNotMatch(notice.text, /#token=/, "the notice carries no link that would verify anything");
    });

    it("resets a password by mail: same answer for unknown addresses, single use, sessions end", async () => {
      const email = address("reset");
      const { token: oldSession } = await signupAs(email);
      const known = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset", payload: { email } });
      const unknown = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset", payload: { email: address("nobody") } });
      assert.equal(known.statusCode, 202);
      assert.equal(unknown.statusCode, known.statusCode);
      assert.deepEqual(unknown.json(), known.json());
      const link = tokenIn(await mailbox.waitFor(email, /Reset your password/));

      const weak = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset/confirm", payload: { token: link, password: "password123" } });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().error.code, "WEAK_PASSWORD");
      assert.equal((await login(email, "a long enough password")).statusCode, 200, "a refused reset changes nothing");

      const ok = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset/confirm", payload: { token: link, password: "a brand new passphrase" } });
      assert.equal(ok.statusCode, 204);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(oldSession) })).statusCode, 401);
      assert.equal((await login(email, "a long enough password")).statusCode, 401);
      assert.equal((await login(email, "a brand new passphrase")).statusCode, 200);
      const reused = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset/confirm", payload: { token: link, password: "yet another passphrase" } });
      assert.equal(reused.json().error.code, "ACCOUNT_TOKEN_INVALID");
    });

    it("refuses a reset link after an hour", async () => {
      const email = address("late");
      await signupAs(email);
      await t.app.inject({ method: "POST", url: "/api/v1/auth/reset", payload: { email } });
      const link = tokenIn(await mailbox.waitFor(email, /Reset your password/));
      clock.advance(61 * MINUTE);
      const late = await t.app.inject({ method: "POST", url: "/api/v1/auth/reset/confirm", payload: { token: link, password: "a brand new passphrase" } });
      assert.equal(late.statusCode, 400);
      assert.equal(late.json().error.code, "ACCOUNT_TOKEN_INVALID");
    });

    it("throttles an account after 5 failures in 15 minutes, even for the right password", async () => {
      const email = address("throttle");
      await signupAs(email);
      for (let i = 0; i < 5; i++) assert.equal((await login(email, "wrong password!", `10.0.0.${i + 1}`)).statusCode, 401);
      const blocked = await login(email, "a long enough password", "10.0.1.1");
      assert.equal(blocked.statusCode, 429);
      assert.equal(blocked.json().error.code, "RATE_LIMITED");
      assert.ok(Number(blocked.headers["retry-after"]) > 0);
      clock.advance(15 * MINUTE);
      assert.equal((await login(email, "a long enough password", "10.0.1.1")).statusCode, 200);
    });

    it("throttles an IP that fails on many accounts", async () => {
      const ip = "10.9.9.9";
      for (let i = 0; i < 5; i++) assert.equal((await login(address("spray"), "wrong password!", ip)).statusCode, 401);
      assert.equal((await login(address("spray"), "wrong password!", ip)).statusCode, 429);
      assert.equal((await login(address("spray"), "wrong password!", "10.9.9.10")).statusCode, 401, "other IPs are not affected");
    });

    it("lists sessions on /me, ends one, and logs out everywhere", async () => {
      const email = address("sessions");
      const { token: first } = await signupAs(email);
      const second = (await login(email, "a long enough password")).json().token as string;
      const me = (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(first) })).json();
      assert.equal(me.sessions.length, 2);
      assert.equal(me.sessions.filter((s: { current: boolean }) => s.current).length, 1);
      assert.equal(JSON.stringify(me).includes(second), false, "tokens never come back");
      const other = me.sessions.find((s: { current: boolean }) => !s.current).id as string;
      assert.equal((await t.app.inject({ method: "DELETE", url: `/api/v1/me/sessions/${other}`, headers: auth(first) })).statusCode, 204);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(second) })).statusCode, 401);
      const third = (await login(email, "a long enough password")).json().token as string;
      assert.equal((await t.app.inject({ method: "POST", url: "/api/v1/auth/logout-everywhere", headers: auth(first) })).statusCode, 204);
      for (const token of [first, third]) {
        assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) })).statusCode, 401);
      }
    });

    it("slides a session's 30-day expiry while it is used", async () => {
      const { token } = await signupAs(address("slide"));
      for (let i = 0; i < 3; i++) {
        clock.advance(20 * 24 * 60 * MINUTE);
        assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) })).statusCode, 200);
      }
      clock.advance(31 * 24 * 60 * MINUTE);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) })).statusCode, 401);
    });
  });
}
