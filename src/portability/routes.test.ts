import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, signup, testApp } from "../../test/helpers.js";

const fixture = readFileSync(join(import.meta.dirname, "../../test/fixtures/imports/wordpress-damaged.xml"));

for (const { dialect, skip } of DIALECTS) {
  describe(`POST /api/v1/admin/imports on ${dialect}`, { skip }, () => {
    let t: TestApp;
    let admin: string;
    let reader: string;
    before(async () => {
      t = await testApp(dialect);
      const a = await signup(t.app, "Admin");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", a.id).execute();
      admin = a.token;
      reader = (await signup(t.app, "Reader")).token;
    });
    after(() => t.close());

    const upload = (headers: Record<string, string>, query = "format=wordpress") =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/admin/imports?${query}`,
        headers: { "content-type": "application/xml", ...headers },
        payload: fixture,
      });

    it("is for admins only", async () => {
      assert.equal((await upload({})).statusCode, 401);
      const res = await upload(auth(reader));
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, "FORBIDDEN");
      assert.equal((await upload(auth(admin), "format=isso")).statusCode, 400);
      assert.equal((await upload(auth(admin), "format=disqus&site=nope")).statusCode, 404);
    });

    it("runs the import in the background and reports progress and a summary", async () => {
      const res = await upload(auth(admin));
      assert.equal(res.statusCode, 202);
      const { id, status } = res.json().import;
      assert.ok(["queued", "running", "done"].includes(status));
      let job = res.json().import;
      for (let i = 0; i < 100 && job.status !== "done" && job.status !== "failed"; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const polled = await t.app.inject({ method: "GET", url: `/api/v1/admin/imports/${id}`, headers: auth(admin) });
        assert.equal(polled.statusCode, 200);
        job = polled.json().import;
      }
      assert.equal(job.status, "done", job.error ?? "");
      assert.equal(job.progress.bytesRead, fixture.length);
      assert.equal(job.summary.added.comments, 6);
      assert.equal(job.summary.skipped.pingbacks, 1);
      const reading = await t.app.inject({ method: "GET", url: `/api/v1/admin/imports/${id}`, headers: auth(reader) });
      assert.equal(reading.statusCode, 403);
      const missing = await t.app.inject({ method: "GET", url: "/api/v1/admin/imports/nope", headers: auth(admin) });
      assert.equal(missing.statusCode, 404);
    });
  });
}
