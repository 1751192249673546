import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ADMIN_BUDGET_GZIP, buildAdmin } from "../../scripts/build-admin.mjs";

describe("the moderator's desk bundle", () => {
  const outDir = mkdtempSync(join(tmpdir(), "parley-desk-"));
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it("stays within its gzip budget and needs no eval or inline handlers, which the CSP forbids", async () => {
    const { sizes, manifest } = await buildAdmin({ outDir });
    for (const name of ["admin.js", "admin.css"] as const) {
      assert.ok(
        sizes[name].gzip <= ADMIN_BUDGET_GZIP[name],
        `${name} is ${sizes[name].gzip} B gzip, over its ${ADMIN_BUDGET_GZIP[name]} B budget`,
      );
    }
    for (const file of readdirSync(join(outDir, "assets")).filter((f) => f.endsWith(".js"))) {
      assert.doesNotMatch(readFileSync(join(outDir, "assets", file), "utf8"), /\beval\(|new Function\(/, file);
    }
    // The admins' settings and team pages are chunks of their own: a moderator's first view does not carry them.
    const entry = readFileSync(join(outDir, manifest["admin.js"]), "utf8");
    assert.doesNotMatch(entry, /Newsroom policy|Give someone a role/);
    assert.ok(sizes["admin views loaded when opened"].gzip > 0);
  });
});
