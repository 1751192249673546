// Builds the moderator's desk (web/admin) into dist/web/assets/ under content-hashed names,
// with .gz and .br twins, and writes dist/web/admin-manifest.json for src/admin/routes.ts.
// Kept apart from build-web.mjs, which belongs to the reader's widget.
import { renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { ROOT, common, hash, put } from "./assets.mjs";

/**
 * The desk loads once per shift, not on a reader's article, but it should still start fast on a
 * tablet. 31 KB since issue 18: the typed endpoint module (every call named and typed from
 * src/shared) costs about 0.7 KB gzip over paths written at each call.
 */
export const ADMIN_BUDGET_GZIP = { "admin.js": 31 * 1024, "admin.css": 6 * 1024 };

/** Builds the desk; returns its manifest and the sizes of each file. */
export async function buildAdmin({ outDir = join(ROOT, "dist", "web") } = {}) {
  const [js, css] = await Promise.all([
    esbuild.build({ ...common, entryPoints: [join(ROOT, "web/admin/main.tsx")], format: "iife" }),
    esbuild.build({ ...common, entryPoints: [join(ROOT, "web/admin/admin.css")], loader: { ".css": "css" } }),
  ]);
  const manifest = {};
  const sizes = {};
  for (const [name, result] of [
    ["admin.js", js],
    ["admin.css", css],
  ]) {
    const body = Buffer.from(result.outputFiles[0].contents);
    const [base, ext] = name.split(".");
    const file = `assets/${base}-${hash(body)}.${ext}`;
    sizes[name] = put(outDir, file, body);
    manifest[name] = file;
  }
  const tmp = join(outDir, `admin-manifest.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest, null, 2));
  renameSync(tmp, join(outDir, "admin-manifest.json"));
  return { manifest, sizes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { sizes } = await buildAdmin();
  for (const [name, s] of Object.entries(sizes)) {
    process.stdout.write(
      `${name.padEnd(12)} ${String(s.bytes).padStart(7)} B  ${String(s.gzip).padStart(6)} B gzip  ${s.file}\n`,
    );
  }
  process.stdout.write(`moderator's desk built in ${Date.now() - started} ms\n`);
}
