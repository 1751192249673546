import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser } from "../accounts/service.js";
import { DIALECTS, type TestApp, auth, resolveStory, signup, testApp } from "../../test/helpers.js";

const PASSWORD = "correct horse battery";

for (const { dialect, skip } of DIALECTS) {
  describe(`the moderator's desk session on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let cookie: string;
    let csrf: string;
    before(async () => {
      t = await testApp(dialect);
      await createUser(t.app.deps, { email: "mod@example.com", password: PASSWORD, displayName: "Mo", role: "moderator" });
      await createUser(t.app.deps, { email: "reader@example.com", password: PASSWORD, displayName: "Rea" });
    });
    after(() => t.close());

    const signIn = (payload: object) => t.app.inject({ method: "POST", url: "/admin/session", payload });

    it("signs a moderator in with an HttpOnly, SameSite=Strict cookie and a CSRF token", async () => {
      const res = await signIn({ email: "mod@example.com", password: PASSWORD });
      assert.equal(res.statusCode, 200, res.body);
      const set = String(res.headers["set-cookie"]);
      assert.match(set, /^parley_session=[^;]{20,};/);
      assert.match(set, /HttpOnly/);
      assert.match(set, /SameSite=Strict/);
      assert.doesNotMatch(set, /Secure/, "plain http in tests");
      cookie = set.split(";")[0];
      csrf = res.json().csrfToken;
      assert.equal(res.json().user.role, "moderator");
      const again = await t.app.inject({ method: "GET", url: "/admin/session", headers: { cookie } });
      assert.equal(again.json().csrfToken, csrf);
    });

    it("refuses a commenter and sets no cookie", async () => {
      const res = await signIn({ email: "reader@example.com", password: PASSWORD });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, "FORBIDDEN");
      assert.equal(res.headers["set-cookie"], undefined);
      const reader = await signup(t.app, "Bearer reader");
      const byToken = await signIn({ token: reader.token });
      assert.equal(byToken.statusCode, 403);
    });

    it("accepts a session token from SSO or OIDC sign-in", async () => {
      const login = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "mod@example.com", password: PASSWORD },
      });
      const res = await signIn({ token: login.json().token });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers["set-cookie"]), /^parley_session=/);
    });

    it("refuses a cookie-authenticated write without the CSRF token, and accepts it with", async () => {
      const storyId = await resolveStory(t.app);
      const url = `/api/v1/stories/${storyId}`;
      const payload = { premod: true };
      const without = await t.app.inject({ method: "PATCH", url, headers: { cookie }, payload });
      assert.equal(without.statusCode, 403);
      assert.equal(without.json().error.code, "CSRF_FAILED");
      const wrong = await t.app.inject({ method: "PATCH", url, headers: { cookie, "x-csrf-token": csrf + "x" }, payload });
      assert.equal(wrong.json().error.code, "CSRF_FAILED");
      const right = await t.app.inject({ method: "PATCH", url, headers: { cookie, "x-csrf-token": csrf }, payload });
      assert.equal(right.statusCode, 200, right.body);
      assert.equal(right.json().settings.premod, true);
      // Reads need no token; the cookie alone authenticates them.
      const read = await t.app.inject({ method: "GET", url: "/api/v1/moderation/queues/pending", headers: { cookie } });
      assert.equal(read.statusCode, 200);
    });

    it("lets a bearer header win over the cookie, with no CSRF token needed", async () => {
      const reader = await signup(t.app, "Header reader");
      const res = await t.app.inject({
        method: "GET",
        url: "/api/v1/moderation/queues/pending",
        headers: { cookie, ...auth(reader.token) },
      });
      assert.equal(res.statusCode, 403, "the reader's bearer token, not the moderator's cookie");
    });

    it("serves /admin unframable under a strict CSP with no inline script", async () => {
      const res = await t.app.inject({ method: "GET", url: "/admin/queues/pending" });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers["content-security-policy"]), /default-src 'self'; frame-ancestors 'none'/);
      assert.equal(res.headers["x-frame-options"], "DENY");
      assert.doesNotMatch(res.body, /<script>|<script [^>]*>[^<]/, "no inline script");
      assert.doesNotMatch(res.body, /style=/);
    });

    it("signs out, after which the cookie authenticates nothing", async () => {
      const noToken = await t.app.inject({ method: "DELETE", url: "/admin/session", headers: { cookie } });
      assert.equal(noToken.json().error.code, "CSRF_FAILED");
      const out = await t.app.inject({ method: "DELETE", url: "/admin/session", headers: { cookie, "x-csrf-token": csrf } });
      assert.equal(out.statusCode, 204);
      assert.match(String(out.headers["set-cookie"]), /Max-Age=0/);
      const after = await t.app.inject({ method: "GET", url: "/admin/session", headers: { cookie } });
      assert.equal(after.statusCode, 401);
    });
  });
}
