import assert from "node:assert/strict";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import Provider from "oidc-provider";
import { DIALECTS, type TestApp, auth, testApp } from "../../test/helpers.js";

const CALLBACK = "http://parley.test/api/v1/auth/oidc/test/callback";
/** What the provider says each subject is entitled to (set by the tests; absent: no claim). */
const grants = new Map<string, string[]>();

/** A real OpenID provider on 127.0.0.1 with one client; its dev interactions accept any login. */
async function startProvider() {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "parley",
        client_secret: "parley-client-secret-for-tests",
        redirect_uris: [CALLBACK],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "picture", "badges", "entitlements"] },
    // Scope claims in the ID token itself, as publishers' providers put an entitlement claim there.
    conformIdTokenClaims: false,
    cookies: { keys: ["cookie-key-for-the-test-provider"] },
    async findAccount(_ctx: unknown, sub: string) {
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            name: `Reader ${sub}`,
            email: `${sub}@idp.example`,
            email_verified: true,
            picture: "https://idp.example/p.png",
            badges: sub === "alice" ? ["Reporter", "<b>x</b>"] : undefined,
            ...(grants.has(sub) ? { entitlements: grants.get(sub) } : {}),
          };
        },
      };
    },
  });
  handle = provider.callback();
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Walks the browser's part: redirects, the login form, the consent form; returns Parley's callback URL. */
async function signInAtProvider(authorizeUrl: string, login: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    init = {};
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(CALLBACK)) return next;
      url = next.href;
      continue;
    }
    const html = await res.text();
    assert.equal(res.status, 200, html.slice(0, 300));
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
    assert.ok(action && prompt, "an interaction form");
    url = new URL(action.replace(/&amp;/g, "&"), url).href;
    const body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "anything" } : { prompt });
    init = { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } };
  }
  throw new Error("the provider never sent the browser back to Parley");
}

for (const { dialect, skip } of DIALECTS) {
  describe(`OpenID Connect sign-in on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let idp: Awaited<ReturnType<typeof startProvider>>;
    const start = async (query = "") => {
      const res = await t.app.inject({ method: "GET", url: `/api/v1/auth/oidc/test/start${query}` });
      assert.equal(res.statusCode, 302, res.body);
      return String(res.headers.location);
    };

    before(async () => {
      idp = await startProvider();
      t = await testApp(dialect, {
        env: {
          PARLEY_OIDC_PROVIDERS: JSON.stringify([
            { name: "test", issuer: idp.issuer, clientId: "parley", clientSecret: "parley-client-secret-for-tests", label: "Test IdP" },
          ]),
        },
      });
    });
    after(async () => {
      await t.close();
      await idp.close();
    });

    it("signs in end to end with code, PKCE, state and nonce; the same subject is the same user", async () => {
      const authorize = new URL(await start());
      assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
      for (const p of ["code_challenge", "state", "nonce"]) assert.ok(authorize.searchParams.get(p), p);
      const back = await signInAtProvider(authorize.href, "alice");
      const res = await t.app.inject({ method: "GET", url: back.pathname + back.search, headers: { accept: "application/json" } });
      assert.equal(res.statusCode, 200, res.body);
      const { user, token } = res.json();
      assert.equal(user.displayName, "Reader alice");
      assert.deepEqual(user.badges, ["Reporter"], "the provider's badges claim, only well-formed badges");
      const me = (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) })).json();
      assert.equal(me.user.email, "alice@idp.example");
      assert.equal(me.user.emailVerified, true);
      assert.equal(me.sessions[0].method, "oidc");

      const again = await signInAtProvider(await start(), "alice");
      const second = await t.app.inject({ method: "GET", url: again.pathname + again.search, headers: { accept: "application/json" } });
      assert.equal(second.json().user.id, user.id);

      const replay = await t.app.inject({ method: "GET", url: back.pathname + back.search, headers: { accept: "application/json" } });
      assert.equal(replay.statusCode, 400);
      assert.equal(replay.json().error.code, "OIDC_STATE_INVALID", "a state is spent once");
    });

    it("hands the session to a popup's opener, targeted at the site's origin only", async () => {
      const back = await signInAtProvider(await start(`?popup=${encodeURIComponent("https://news.example")}`), "bob");
      const page = await t.app.inject({ method: "GET", url: back.pathname + back.search });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers["content-type"]), /text\/html/);
      assert.match(String(page.headers["content-security-policy"]), /frame-ancestors 'none'/);
      assert.match(page.body, /"origin":"https:\/\/news\.example"/);
      assert.match(page.body, /postMessage\(\{type:"parley:session"/);
      assert.doesNotMatch(page.body, /postMessage\([^)]*,\s*"\*"\)/);
      const refused = await t.app.inject({ method: "GET", url: `/api/v1/auth/oidc/test/start?popup=${encodeURIComponent("https://evil.example")}` });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error.code, "ORIGIN_NOT_ALLOWED");
    });

    it("links an OpenID Connect identity, by issuer and subject, to an existing account; signing in there opens it", async () => {
      const { createUser, openSession } = await import("./service.js");
      const admin = await createUser(t.app.deps, { email: "oidc-admin@example.com", password: "an oidc admin password", displayName: "Oidc Admin", role: "admin" });
      const siteAdmin = await createUser(t.app.deps, { email: "oidc-site-admin@example.com", password: "a site admin password", displayName: "Oidc Siteadmin" });
      const { setSiteRole } = await import("./store.js");
      await setSiteRole(t.store.db, { user_id: siteAdmin.id, site_id: "default", role: "admin", created_at: 0 });
      const person = await createUser(t.app.deps, { email: "carol@example.com", password: "carol's own password", displayName: "Carol Local" });
      const adminToken = (await openSession(t.app.deps, admin, "password")).token;
      const siteAdminToken = (await openSession(t.app.deps, siteAdmin, "password")).token;
      const url = `/api/v1/admin/users/${person.id}/identities`;
      const link = (token: string, issuer: string) => t.app.inject({ method: "POST", url, headers: auth(token), payload: { issuer, subject: "carol" } });

      assert.equal((await link(siteAdminToken, idp.issuer)).statusCode, 403, "OpenID Connect providers serve every site: admins of every site only");
      const unknown = await link(adminToken, "https://unknown-idp.example");
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.code, "OIDC_UNKNOWN_PROVIDER");
      const made = await link(adminToken, `${idp.issuer}/`);
      assert.equal(made.statusCode, 201, made.body);
      assert.equal(made.json().provider, "oidc:test");
      assert.equal(made.json().issuer, idp.issuer);

      const back = await signInAtProvider(await start(), "carol");
      const res = await t.app.inject({ method: "GET", url: back.pathname + back.search, headers: { accept: "application/json" } });
      assert.equal(res.json().user.id, person.id);
      const me = (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(res.json().token) })).json();
      assert.equal(me.user.email, "carol@example.com", "the account keeps its own address");

      const gone = await t.app.inject({ method: "DELETE", url: `${url}?issuer=${encodeURIComponent(idp.issuer)}&subject=carol`, headers: auth(adminToken) });
      assert.equal(gone.statusCode, 204);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(res.json().token) })).statusCode, 401, "its OIDC session ended");
      const logged = await t.store.db.selectFrom("moderation_actions").select(["action", "site_id"]).where("target_id", "=", person.id).execute();
      assert.deepEqual(logged.map((l) => [l.action, l.site_id]).sort(), [["user.identity_link", null], ["user.identity_unlink", null]]);
    });

    it("maps the ID token's entitlement claim to the reader at each sign-in, and drops it when the provider stops sending it", async () => {
      const signIn = async () => {
        const back = await signInAtProvider(await start(), "carol");
        const res = await t.app.inject({ method: "GET", url: back.pathname + back.search, headers: { accept: "application/json" } });
        assert.equal(res.statusCode, 200, res.body);
        const me = await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(res.json().token) });
        return me.json().user.entitlements as string[];
      };
      grants.set("carol", ["subscriber"]);
      assert.deepEqual(await signIn(), ["subscriber"]);
      grants.delete("carol");
      assert.deepEqual(await signIn(), []);
    });

    it("refuses an unknown provider, a forged state and a wrong code", async () => {
      const unknown = await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/nope/start" });
      assert.equal(unknown.json().error.code, "OIDC_UNKNOWN_PROVIDER");
      const forged = await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc/test/callback?code=abc&state=forged", headers: { accept: "application/json" } });
      assert.equal(forged.json().error.code, "OIDC_STATE_INVALID");
      const authorize = new URL(await start());
      const state = authorize.searchParams.get("state") ?? "";
      const badCode = await t.app.inject({
        method: "GET",
        url: `/api/v1/auth/oidc/test/callback?code=not-a-code&state=${state}&iss=${encodeURIComponent(idp.issuer)}`,
        headers: { accept: "application/json" },
      });
      assert.equal(badCode.statusCode, 401);
      assert.equal(badCode.json().error.code, "OIDC_FAILED");
    });
  });
}
