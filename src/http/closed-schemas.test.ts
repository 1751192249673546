import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Fastify from "fastify";
import { Type } from "typebox";
import { createUser } from "../accounts/service.js";
import { recordRoleGrant, rolesToReview } from "../accounts/role-grants.js";
import * as accountStore from "../accounts/store.js";
import { DIALECTS, type TestApp, testApp } from "../../test/helpers.js";
import { closeObjects, installClosedSchemas, openObjects } from "./closed-schemas.js";

describe("closed request schemas", () => {
  it("closes every object a request schema names, nested ones and array items too", () => {
    const closed = closeObjects(
      Type.Object({ quote: Type.Optional(Type.Object({ text: Type.String() })), tags: Type.Array(Type.Object({ name: Type.String() })) }),
    );
    assert.deepEqual(openObjects(closed, "body"), []);
    assert.deepEqual(openObjects(Type.Object({ quote: Type.Object({ text: Type.String() }) }), "body").sort(), ["body", "body.quote"]);
  });

  it("leaves maps (records) open to the keys they describe", () => {
    const map = Type.Record(Type.String(), Type.Number());
    assert.deepEqual(openObjects(closeObjects(map), "body"), []);
  });

  it("refuses to register a route that leaves its body open on purpose", async () => {
    const app = Fastify();
    installClosedSchemas(app);
    await assert.rejects(async () => {
      app.post("/open", { schema: { body: Type.Object({ a: Type.String() }, { additionalProperties: true }) } }, async () => "ok");
      await app.ready();
    }, /POST \/open: its request schema leaves body open/);
  });
});

for (const { dialect, skip } of DIALECTS) {
  describe(`a request grants nothing it names, on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    it("serves only routes whose body, query and path objects forbid unknown fields", () => {
      const routes = t.app.routeSchemas;
      assert.ok(routes.length > 100, `only ${routes.length} routes were seen`);
      const open = routes.flatMap((r) =>
        (["body", "querystring", "params"] as const).flatMap((part) => openObjects(r[part], part).map((where) => `${r.method} ${r.url} ${where}`)),
      );
      assert.deepEqual(open, []);
      assert.ok(routes.some((r) => r.url === "/api/v1/auth/signup" && r.body !== undefined));
    });

    it("makes a commenter of a sign-up that asks to be an admin", async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: `eve-${dialect}@example.com`, password: "pass phrase eve 12345", displayName: "eve", role: "admin", status: "active", badges: ["Editor"], emailVerified: true },
      });
      assert.equal(res.statusCode, 201);
      const { user, token } = res.json<{ user: { role: string; badges: string[] }; token: string }>();
      assert.equal(user.role, "commenter");
      assert.deepEqual(user.badges, []);
      const settings = await t.app.inject({ method: "GET", url: "/api/v1/admin/settings", headers: { authorization: `Bearer ${token}` } });
      assert.equal(settings.statusCode, 403);
      const me = await t.app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.json<{ user: { emailVerified: boolean } }>().user.emailVerified, false);
    });

    it("lists for review the accounts whose role nobody granted, and not those the command line made", async () => {
      const granted = await createUser(t.app.deps, { email: `granted-${dialect}@example.com`, password: "a granted admin pw", displayName: "Granted Admin", role: "admin" });
      // An account that named its own role through the old sign-up hole: no grant in the audit log.
      const eve = await createUser(t.app.deps, { email: `old-eve-${dialect}@example.com`, password: "an old hole password", displayName: "Old Eve" });
      await accountStore.updateUser(t.app.deps.store.db, eve.id, { role: "moderator" });
      const listed = await rolesToReview(t.app.deps);
      assert.deepEqual(listed.map((r) => [r.id, r.role]), [[eve.id, "moderator"]]);
      assert.ok(!listed.some((r) => r.id === granted.id));
      await recordRoleGrant(t.app.deps, t.app.deps.store.db, { id: eve.id, role: "moderator" }, null, "confirmed from the command line after review");
      assert.deepEqual(await rolesToReview(t.app.deps), []);
    });
  });
}
