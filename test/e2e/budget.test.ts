import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { buildWeb } from "../../scripts/build-web.mjs";

const KB = 1024;
/** Gzipped size limits of what a reader's browser downloads (issue 6, item 8). */
const BUDGET = { loader: 3 * KB, threadJs: 25 * KB, css: 8 * KB, count: 1 * KB };

const outDir = mkdtempSync(join(tmpdir(), "parley-web-"));
after(() => rmSync(outDir, { recursive: true, force: true }));

it("keeps the loader, the thread UI, the styles and count.js within their gzip budgets", async () => {
  const { sizes } = await buildWeb({ outDir });
  const css = sizes["thread.css"].gzip + sizes["site.css"].gzip;
  const report = Object.entries(sizes)
    .map(([name, s]) => `${name} ${s.gzip} B gzip`)
    .join(", ");
  assert.ok(sizes["embed.js"].gzip <= BUDGET.loader, `loader over ${BUDGET.loader} B: ${report}`);
  assert.ok(sizes["thread.js"].gzip <= BUDGET.threadJs, `thread UI over ${BUDGET.threadJs} B: ${report}`);
  assert.ok(css <= BUDGET.css, `CSS over ${BUDGET.css} B: ${report}`);
  assert.ok(sizes["count.js"].gzip <= BUDGET.count, `count.js over ${BUDGET.count} B: ${report}`);
});

it("names the thread UI and the styles by their content, so they can be cached for a year", async () => {
  const { manifest } = await buildWeb({ outDir });
  assert.match(manifest["thread.js"], /^assets\/thread-[\w-]{10}\.js$/);
  assert.match(manifest["thread.css"], /^assets\/thread-[\w-]{10}\.css$/);
  assert.equal(manifest["embed.js"], "embed.js", "the loader keeps the URL publishers paste");
});
