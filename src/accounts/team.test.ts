import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, signup, testApp } from "../../test/helpers.js";

for (const { dialect, skip } of DIALECTS) {
  describe(`a site's team for its admins on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let admin: { token: string; id: string };
    let desk: { token: string; id: string };
    let reader: { token: string; id: string };
    const get = (url: string, token: string) => t.app.inject({ method: "GET", url, headers: auth(token) });

    before(async () => {
      t = await testApp(dialect);
      admin = await signup(t.app, "Ada Admin");
      desk = await signup(t.app, "Politics Desk");
      reader = await signup(t.app, "Percy 100%_Reader");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", admin.id).execute();
    });
    after(() => t.close());

    it("lists roles everywhere and the site's own, with a site moderator's sections", async () => {
      const put = await t.app.inject({
        method: "PUT",
        url: `/api/v1/admin/sites/default/roles/${desk.id}`,
        headers: auth(admin.token),
        payload: { role: "moderator", sections: ["politics"] },
      });
      assert.equal(put.statusCode, 200);
      const team = await get("/api/v1/admin/sites/default/team", admin.token);
      assert.equal(team.statusCode, 200);
      const items = team.json().items as Array<{ userId: string; name: string; role: string; scope: string; sections: string[] }>;
      assert.deepEqual(
        items.filter((m) => m.userId === admin.id || m.userId === desk.id).map(({ name, role, scope, sections }) => ({ name, role, scope, sections })),
        [
          { name: "Ada Admin", role: "admin", scope: "everywhere", sections: [] },
          { name: "Politics Desk", role: "moderator", scope: "site", sections: ["politics"] },
        ],
      );
      assert.ok(!items.some((m) => m.userId === reader.id), "a reader is not on the team");
      assert.equal((await get("/api/v1/admin/sites/nowhere/team", admin.token)).statusCode, 404);
      assert.equal((await get("/api/v1/admin/sites/default/team", desk.token)).statusCode, 403);
    });

    it("finds people by the start of their name, whatever the case, with LIKE's wildcards taken literally", async () => {
      const names = async (q: string) =>
        ((await get(`/api/v1/admin/sites/default/people?q=${encodeURIComponent(q)}`, admin.token)).json().items as Array<{ name: string }>).map((p) => p.name);
      assert.deepEqual(await names("percy 100%_"), ["Percy 100%_Reader"]);
      assert.deepEqual(await names("percy 1000"), []);
      assert.deepEqual(await names("%e"), [], "a % is a character, not a wildcard");
      assert.deepEqual(await names("POLITICS"), ["Politics Desk"]);
      const tooShort = await get("/api/v1/admin/sites/default/people?q=a", admin.token);
      assert.equal(tooShort.statusCode, 400);
      assert.equal((await get("/api/v1/admin/sites/default/people?q=ada", reader.token)).statusCode, 403);
    });
  });
}
