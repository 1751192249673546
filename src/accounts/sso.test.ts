import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWTPayload } from "jose";
import { DIALECTS, type TestApp, auth, manualClock, testApp } from "../../test/helpers.js";

const SECRET_OLD = "old-secret-old-secret-old-secret-0001";
const SECRET_NEW = "new-secret-new-secret-new-secret-0002";
const JWKS_ONLY = "jwks-only";
let jtis = 0;

for (const { dialect, skip } of DIALECTS) {
  describe(`SSO token exchange on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let jwks: ReturnType<typeof createServer>;
    let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
    let ec: Awaited<ReturnType<typeof generateKeyPair>>;
    let adminToken: string;
    const clock = manualClock();
    const now = () => Math.floor(clock.now() / 1000);
    const claims = (extra: JWTPayload = {}): JWTPayload => ({
      sub: "reader-1",
      name: "Publisher Reader",
      aud: "default",
      iat: now(),
      exp: now() + 600,
      jti: `jti-${++jtis}`,
      ...extra,
    });
    const hs = (payload: JWTPayload, secret = SECRET_NEW, header: Record<string, string> = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg: "HS256", ...header }).sign(new TextEncoder().encode(secret));
    const exchange = (token: string) => t.app.inject({ method: "POST", url: "/api/v1/auth/sso", payload: { token } });
    const refusedWith = async (token: string, code: string) => {
      const before = await t.store.db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      const res = await exchange(token);
      assert.equal(res.statusCode, 401, `${code}: ${res.body}`);
      assert.equal(res.json().error.code, code);
      const afterCount = await t.store.db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n), "a refused token creates nobody");
    };

    before(async () => {
      rsa = await generateKeyPair("RS256", { extractable: true });
      ec = await generateKeyPair("ES256", { extractable: true });
      const keys = [
        { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" },
        { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
      ];
      jwks = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys })));
      await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
      const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
      t = await testApp(dialect, { clock });
      const { createUser, openSession } = await import("./service.js");
      const admin = await createUser(t.app.deps, { email: "sso-admin@example.com", password: "an admin password", displayName: "Site admin", role: "admin" });
      adminToken = (await openSession(t.app.deps, admin, "password")).token;
      await t.store.db.insertInto("sites").values({ id: JWKS_ONLY, name: "JWKS only", origins: "[]", settings: "{}", created_at: 0 }).execute();
      const patch = (siteId: string, accounts: unknown) =>
        t.app.inject({ method: "PATCH", url: `/api/v1/admin/accounts-settings?siteId=${siteId}`, headers: auth(adminToken), payload: { accounts } });
      const res = await patch("default", {
        sso: { secrets: [{ kid: "old", secret: SECRET_OLD }, { kid: "new", secret: SECRET_NEW }], jwksUrl, allowRoles: true },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await patch(JWKS_ONLY, { sso: { secrets: [], jwksUrl, allowRoles: false } })).statusCode, 200);
    });
    after(async () => {
      await t.close();
      await new Promise<void>((resolve) => jwks.close(() => resolve()));
    });

    it("never shows the secrets back, and keeps a secret named only by its kid", async () => {
      const read = await t.app.inject({ method: "GET", url: "/api/v1/admin/accounts-settings?siteId=default", headers: auth(adminToken) });
      assert.equal(read.statusCode, 200);
      assert.equal(read.body.includes(SECRET_OLD) || read.body.includes(SECRET_NEW), false);
      const log = await t.store.db.selectFrom("moderation_actions").select(["before", "after"]).where("action", "=", "settings.accounts.update").execute();
      assert.ok(log.length >= 1);
      assert.equal(JSON.stringify(log).includes(SECRET_NEW), false, "the audit log holds no secret");
      const keep = await t.app.inject({
        method: "PATCH",
        url: "/api/v1/admin/accounts-settings?siteId=default",
        headers: auth(adminToken),
        payload: { accounts: { sso: { secrets: [{ kid: "old" }, { kid: "new" }] } } },
      });
      assert.equal(keep.statusCode, 200, keep.body);
      assert.equal((await exchange(await hs(claims(), SECRET_OLD))).statusCode, 200);
    });

    it("signs in with HS256 under either active secret, RS256 and ES256; one user per (site, sub)", async () => {
      const a = await exchange(await hs(claims(), SECRET_OLD));
      const b = await exchange(await hs(claims({ name: "Renamed Reader" }), SECRET_NEW, { kid: "new" }));
      const c = await exchange(await new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: "rsa-1" }).sign(rsa.privateKey));
      const d = await exchange(await new SignJWT(claims()).setProtectedHeader({ alg: "ES256", kid: "ec-1" }).sign(ec.privateKey));
      for (const res of [a, b, c, d]) assert.equal(res.statusCode, 200, res.body);
      assert.equal(new Set([a, b, c, d].map((r) => r.json().user.id)).size, 1);
      assert.equal(b.json().user.displayName, "Renamed Reader");
      const elsewhere = await exchange(await new SignJWT(claims({ aud: JWKS_ONLY })).setProtectedHeader({ alg: "RS256" }).sign(rsa.privateKey));
      assert.equal(elsewhere.statusCode, 200);
      assert.notEqual(elsewhere.json().user.id, a.json().user.id, "the same sub on another site is another user");
    });

    it("takes avatar, badges and (where the site allows) a moderator role from the token", async () => {
      const res = await exchange(
        await hs(claims({ sub: "editor-7", name: "Desk Editor", avatar: "https://cdn.example/a.png", badges: ["subscriber", "<b>x</b>"], role: "moderator" })),
      );
      assert.equal(res.statusCode, 200, res.body);
      const { user, token } = res.json();
      assert.equal(user.avatarUrl, "https://cdn.example/a.png");
      assert.deepEqual(user.badges, ["subscriber"]);
      const me = (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) })).json();
      assert.deepEqual(me.abilities.moderate, ["default"]);
      const admin = await exchange(await new SignJWT(claims({ sub: "x-1", aud: JWKS_ONLY, role: "moderator" })).setProtectedHeader({ alg: "RS256" }).sign(rsa.privateKey));
      const meElsewhere = (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(admin.json().token) })).json();
      assert.deepEqual(meElsewhere.abilities.moderate, [], "a site that does not allow SSO roles grants none");
    });

    it("refuses each bad token with 401 and its own code", async () => {
      const unsigned = (payload: JWTPayload) =>
        `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;
      const { sub: _sub, ...withoutSub } = claims();
      const { exp: _exp, ...withoutExp } = claims();
      const pem = await exportSPKI(rsa.publicKey);
      await refusedWith("not-a-jwt", "SSO_MALFORMED");
      await refusedWith(await hs(claims(), "wrong-secret-wrong-secret-wrong-secret"), "SSO_BAD_SIGNATURE");
      await refusedWith(unsigned(claims()), "SSO_ALGORITHM_REFUSED");
      await refusedWith(await hs(claims({ aud: JWKS_ONLY }), pem), "SSO_ALGORITHM_REFUSED");
      await refusedWith(await hs(claims({ iat: now() - 7200, exp: now() - 3600 })), "SSO_EXPIRED");
      await refusedWith(await hs(claims({ exp: now() + 2 * 3600 })), "SSO_EXPIRY_TOO_FAR");
      await refusedWith(await hs(withoutExp), "SSO_MISSING_CLAIM");
      await refusedWith(await hs(claims({ iat: now() + 600 })), "SSO_ISSUED_IN_FUTURE");
      await refusedWith(await hs(claims({ aud: "somebody-else" })), "SSO_WRONG_AUDIENCE");
      await refusedWith(await hs(withoutSub), "SSO_MISSING_CLAIM");
      await refusedWith(await new SignJWT(claims({ sub: "rs-wrong" })).setProtectedHeader({ alg: "RS256" }).sign((await generateKeyPair("RS256")).privateKey), "SSO_BAD_SIGNATURE");
      const once = await hs(claims({ sub: "replayer" }));
      assert.equal((await exchange(once)).statusCode, 200);
      await refusedWith(once, "SSO_REPLAYED");
    });

    it("links a publisher subject to an existing account by the admin API, and unlinks it; both audited", async () => {
      const { createUser, openSession } = await import("./service.js");
      const { setSiteRole } = await import("./store.js");
      const person = await createUser(t.app.deps, { email: "linked@example.com", password: "a local password", displayName: "Linked Reader" });
      const url = `/api/v1/admin/users/${person.id}/identities`;
      const link = (token: string, payload: object) => t.app.inject({ method: "POST", url, headers: auth(token), payload });
      const identities = () => t.store.db.selectFrom("user_identities").selectAll().where("user_id", "=", person.id).execute();

      for (const [payload, status] of [
        [{ subject: "linked-1" }, 400],
        [{ siteId: "default", issuer: "https://idp.example", subject: "linked-1" }, 400],
        [{ siteId: "default", subject: "bad\nsubject" }, 400],
        [{ siteId: "no-such-site", subject: "linked-1" }, 404],
      ] as const) {
        const res = await link(adminToken, payload);
        assert.equal(res.statusCode, status, JSON.stringify(payload));
      }
      assert.equal((await link(adminToken, { siteId: "default", subject: "reader-1" })).statusCode, 409, "reader-1 is another account's");
      assert.deepEqual(await identities(), [], "refusals change nothing");

      const made = await link(adminToken, { siteId: "default", subject: "linked-1" });
      assert.equal(made.statusCode, 201, made.body);
      assert.deepEqual({ ...made.json<Record<string, unknown>>(), createdAt: undefined }, { provider: "sso:default", kind: "sso", siteId: "default", subject: "linked-1", createdAt: undefined });
      assert.equal((await link(adminToken, { siteId: "default", subject: "linked-1" })).statusCode, 200, "linking again changes nothing");
      assert.equal((await link(adminToken, { siteId: "default", subject: "linked-2" })).statusCode, 409, "one subject per site and account");
      const signedIn = await exchange(await hs(claims({ sub: "linked-1", name: "Linked Reader" })));
      assert.equal(signedIn.json().user.id, person.id, "the publisher's login opens the existing account");
      const listed = (await t.app.inject({ method: "GET", url, headers: auth(adminToken) })).json().items;
      assert.deepEqual(listed.map((i: { provider: string; subject: string }) => [i.provider, i.subject]), [["sso:default", "linked-1"]]);

      const siteAdmin = await createUser(t.app.deps, { email: "jwks-admin@example.com", password: "a site admin password", displayName: "Jwks Admin" });
      await setSiteRole(t.store.db, { user_id: siteAdmin.id, site_id: JWKS_ONLY, role: "admin", created_at: 0 });
      const siteAdminToken = (await openSession(t.app.deps, siteAdmin, "password")).token;
      assert.equal((await link(siteAdminToken, { siteId: "default", subject: "elsewhere" })).statusCode, 403, "another site's SSO");
      assert.equal((await link(siteAdminToken, { siteId: JWKS_ONLY, subject: "jwks-linked" })).statusCode, 201, "their site's SSO, an account without roles");
      assert.equal((await t.app.inject({ method: "GET", url, headers: auth(siteAdminToken) })).json().items.length, 1, "only their site's");
      const adminAccount = await t.store.db.selectFrom("users").select("id").where("email", "=", "sso-admin@example.com").executeTakeFirstOrThrow();
      const toAdmin = await t.app.inject({ method: "POST", url: `/api/v1/admin/users/${adminAccount.id}/identities`, headers: auth(siteAdminToken), payload: { siteId: JWKS_ONLY, subject: "takeover" } });
      assert.equal(toAdmin.statusCode, 403, "an account with roles is for admins of every site");

      const unlink = (token: string, query: string) => t.app.inject({ method: "DELETE", url: `${url}?${query}`, headers: auth(token) });
      assert.equal((await unlink(siteAdminToken, "siteId=default&subject=linked-1")).statusCode, 403);
      assert.equal((await unlink(adminToken, "siteId=default&subject=never-linked")).statusCode, 404);
      assert.equal((await unlink(adminToken, "siteId=default&subject=linked-1")).statusCode, 204);
      assert.equal((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(signedIn.json().token) })).statusCode, 401, "its SSO session ended");
      const after = await exchange(await hs(claims({ sub: "linked-1", name: "Linked Reader" })));
      assert.notEqual(after.json().user.id, person.id, "the subject no longer opens the account");
      const log = await t.store.db.selectFrom("moderation_actions").select(["action", "site_id", "actor_id", "before", "after"]).where("target_id", "=", person.id).execute();
      assert.deepEqual(
        log.map((l) => [l.action, l.site_id, JSON.parse(l.after ?? l.before ?? "{}").subject]).sort(),
        [["user.identity_link", "default", "linked-1"], ["user.identity_link", JWKS_ONLY, "jwks-linked"], ["user.identity_unlink", "default", "linked-1"]],
      );
    });

    it("maps the token's entitlement claim to the reader at every sign-in, and drops it when the claim is gone", async () => {
      const policy = await t.app.inject({
        method: "PATCH",
        url: "/api/v1/admin/settings",
        headers: auth(adminToken),
        payload: { moderation: { policy: { commenting: "subscribers", subscribeUrl: "https://news.example/subscribe" } } },
      });
      assert.equal(policy.statusCode, 200, policy.body);
      const story = (await t.app.inject({ method: "GET", url: "/api/v1/stories/resolve?url=https%3A%2F%2Fnews.example%2Fmembers" })).json();
      const signIn = async (extra: JWTPayload) => {
        const res = await exchange(await hs(claims({ sub: "subscriber-1", ...extra })));
        assert.equal(res.statusCode, 200, res.body);
        const token: string = res.json().token;
        const me = (await t.app.inject({ method: "GET", url: "/api/v1/me", headers: auth(token) })).json();
        const post = await t.app.inject({
          method: "POST",
          url: `/api/v1/stories/${story.id}/comments`,
          headers: auth(token),
          payload: { body: `A subscriber's remark number ${++jtis}.` },
        });
        return { entitlements: me.user.entitlements as string[], post };
      };
      const subscribed = await signIn({ entitlements: ["subscriber", "Newsletter", "<script>"] });
      assert.deepEqual(subscribed.entitlements, ["subscriber", "newsletter"], "lower-cased; odd values dropped");
      assert.equal(subscribed.post.statusCode, 201, subscribed.post.body);
      const lapsed = await signIn({});
      assert.deepEqual(lapsed.entitlements, [], "no claim, no entitlement");
      assert.equal(lapsed.post.statusCode, 403);
      assert.equal(lapsed.post.json().error.code, "SUBSCRIBERS_ONLY");
      assert.equal(lapsed.post.json().error.details.subscribeUrl, "https://news.example/subscribe");
      // The claim's name is the site's setting: a namespaced claim with one string value.
      const named = await t.app.inject({
        method: "PATCH",
        url: "/api/v1/admin/accounts-settings?siteId=default",
        headers: auth(adminToken),
        payload: { accounts: { entitlementClaim: "https://news.example/tier" } },
      });
      assert.equal(named.statusCode, 200, named.body);
      const tiered = await signIn({ "https://news.example/tier": "subscriber", entitlements: ["ignored"] });
      assert.deepEqual(tiered.entitlements, ["subscriber"]);
      assert.equal(tiered.post.statusCode, 201);
      await t.app.inject({
        method: "PATCH",
        url: "/api/v1/admin/settings",
        headers: auth(adminToken),
        payload: { moderation: { policy: { commenting: "everyone" } } },
      });
    });

    it("refuses a site without SSO keys", async () => {
      await t.store.db.insertInto("sites").values({ id: "no-sso", name: "No SSO", origins: "[]", settings: "{}", created_at: 0 }).execute();
      const { forgetSites } = await import("../site/service.js");
      forgetSites();
      await refusedWith(await hs(claims({ aud: "no-sso" })), "SSO_NOT_CONFIGURED");
    });
  });
}
