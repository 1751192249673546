import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, testApp } from "../../test/helpers.js";
import { createUser, openSession } from "./service.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`the publisher's login URL for the desk on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let adminToken: string;
    const patch = (accounts: unknown) =>
      t.app.inject({ method: "PATCH", url: "/api/v1/admin/accounts-settings?siteId=default", headers: auth(adminToken), payload: { accounts } });
    const publicUrl = async (siteId?: string) =>
      t.app.inject({ method: "GET", url: `/api/v1/auth/sso/login-url${siteId ? `?siteId=${siteId}` : ""}` });

    before(async () => {
      t = await testApp(dialect);
      const admin = await createUser(t.app.deps, { email: "login-url-admin@example.com", password: "an admin password", displayName: "Site admin", role: "admin" });
      adminToken = (await openSession(t.app.deps, admin, "password")).token;
    });
    after(() => t?.close());

    it("has none until an admin sets one, and tells anyone without a session", async () => {
      const res = await publicUrl();
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { siteId: "default", siteName: "Default site", loginUrl: null });
    });

    it("stores an http(s) URL next to the SSO keys and refuses anything else", async () => {
      const refused = await patch({ sso: { loginUrl: "javascript:alert(1)" } });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.json().error.message, /sso\/loginUrl/);
      const saved = await patch({ sso: { loginUrl: "https://news.example/login?for=parley" } });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().accounts.sso.loginUrl, "https://news.example/login?for=parley");
      assert.deepEqual(saved.json().accounts.sso.secrets, [], "setting the URL leaves the secrets as they were");
      assert.equal((await publicUrl("default")).json().loginUrl, "https://news.example/login?for=parley");
      const cleared = await patch({ sso: { loginUrl: null } });
      assert.equal(cleared.json().accounts.sso.loginUrl, null);
      assert.equal((await publicUrl()).json().loginUrl, null);
    });

    it("answers 404 for a site that does not exist", async () => {
      assert.equal((await publicUrl("no-such-site")).statusCode, 404);
    });
  });
}
