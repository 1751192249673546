import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, signup, testApp } from "../../test/helpers.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`accounts on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());

    it("signs up, signs in and reads its own account with the e-mail", async () => {
      const signupRes = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: "Ann@Example.com ", password: "a long enough password", displayName: "  Ann  Lee " },
      });
      assert.equal(signupRes.statusCode, 201);
      const { user, token } = signupRes.json();
      assert.equal(user.displayName, "Ann Lee");
      assert.equal(user.email, undefined, "public user objects never carry the e-mail");
      assert.ok(token.length >= 40);

      const login = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: "ann@example.com", password: "a long enough password" } });
      assert.equal(login.statusCode, 200);
      const me = await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(login.json().token) });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().user.email, "ann@example.com");
      assert.equal(me.json().user.id, user.id);
    });

    it("answers a signup with a known e-mail like a new one, without touching the existing account", async () => {
      const payload = { email: "twice@example.com", password: "a long enough password", displayName: "Twice" };
      const first = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload });
      assert.equal(first.statusCode, 201);
      const again = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { ...payload, email: "TWICE@example.com", password: "another long password" } });
      assert.equal(again.statusCode, 201);
      assert.deepEqual(Object.keys(again.json()).sort(), ["token", "user"]);
      assert.notEqual(again.json().user.id, first.json().user.id);
      const owners = await t.store.db.selectFrom("users").select("id").where("email", "=", "twice@example.com").execute();
      assert.deepEqual(owners.map((o) => o.id), [first.json().user.id], "the address stays with its first owner");
      const login = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: "twice@example.com", password: "another long password" } });
      assert.equal(login.statusCode, 401, "the second password does not open the first account");
    });

    it("refuses short passwords, bad e-mails and bad display names without creating anything", async () => {
      const cases = [
        [{ email: "short@example.com", password: "short", displayName: "Short" }, "WEAK_PASSWORD"],
        [{ email: "common@example.com", password: "qwertyuiop", displayName: "Common" }, "WEAK_PASSWORD"],
        [{ email: "common@example.com", password: "Password123", displayName: "Common" }, "WEAK_PASSWORD"],
        [{ email: "not-an-email", password: "a long enough password", displayName: "Bad" }, "VALIDATION_FAILED"],
        [{ email: "name@example.com", password: "a long enough password", displayName: "x" }, "VALIDATION_FAILED"],
        [{ email: "missing@example.com" }, "VALIDATION_FAILED"],
      ] as const;
      for (const [payload, code] of cases) {
        const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload });
        assert.equal(res.statusCode, 400, JSON.stringify(payload));
        assert.equal(res.json().error.code, code);
      }
      const users = await t.store.db.selectFrom("users").select("email").where("email", "in", ["short@example.com", "common@example.com", "name@example.com", "missing@example.com"]).execute();
      assert.deepEqual(users, []);
    });

    it("answers a wrong password and an unknown e-mail alike", async () => {
      await signup(t.app, "Known");
      const wrong = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: "ann@example.com", password: "not the password" } });
      const unknown = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: "nobody@example.com", password: "not the password" } });
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual(wrong.json(), unknown.json());
    });

    it("logs out: the token stops working", async () => {
      const { token } = await signup(t.app);
      assert.equal((await t.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: auth(token) })).statusCode, 204);
      const me = await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) });
      assert.equal(me.statusCode, 401);
      assert.equal(me.json().error.code, "UNAUTHENTICATED");
    });

    it("stores only a hash of the session token", async () => {
      const { token } = await signup(t.app);
      const rows = await t.store.db.selectFrom("sessions").select("token_hash").execute();
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => r.token_hash !== token && r.token_hash.length === 64));
    });

    it("requires a token for /me and rejects a malformed Authorization header", async () => {
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me" })).statusCode, 401);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: "Basic abc" } })).statusCode, 401);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth("x".repeat(43)) })).statusCode, 401);
    });
  });
}
