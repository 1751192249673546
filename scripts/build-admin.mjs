// Builds the moderator's desk (web/admin) into dist/web/assets/ under content-hashed names,
// with .gz and .br twins, and writes dist/web/admin-manifest.json for src/admin/routes.ts.
// Kept apart from build-web.mjs, which belongs to the reader's widget.
import { renameSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { ROOT, common, hash, put } from "./assets.mjs";

/**
 * The desk loads once per shift, not on a reader's article, but it should still start fast on a
 * tablet. `admin.js` counts what a moderator's first view loads (the entry and the chunks it
 * imports); the admins' settings and team pages are chunks loaded when opened.
 */
export const ADMIN_BUDGET_GZIP = { "admin.js": 30 * 1024, "admin.css": 6 * 1024 };

/** Builds the desk; returns its manifest and the sizes of each file. */
export async function buildAdmin({ outDir = join(ROOT, "dist", "web") } = {}) {
  const assets = join(outDir, "assets");
  const [js, css] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { admin: join(ROOT, "web/admin/main.tsx") },
      format: "esm",
      splitting: true,
      outdir: assets,
      entryNames: "[name]-[hash]",
      chunkNames: "admin-[name]-[hash]",
      metafile: true,
    }),
    esbuild.build({ ...common, entryPoints: [join(ROOT, "web/admin/admin.css")], loader: { ".css": "css" } }),
  ]);
  const manifest = {};
  const sizes = {};
  // esbuild names the entry and its chunks by their content; they import each other by those names.
  const written = new Map();
  for (const output of js.outputFiles) {
    const file = `assets/${basename(output.path)}`;
    written.set(relative(outDir, output.path).split(sep).join("/"), put(outDir, file, Buffer.from(output.contents)));
  }
  const outputs = js.metafile.outputs;
  const key = (path) => relative(outDir, resolve(ROOT, path)).split(sep).join("/");
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint);
  // What the first view loads: the entry and every chunk it imports statically, transitively.
  const first = new Set();
  const visit = (path) => {
    if (first.has(path)) return;
    first.add(path);
    for (const i of outputs[path].imports) if (i.kind === "import-statement" && outputs[i.path]) visit(i.path);
  };
  visit(entry);
  const total = (paths) =>
    [...paths].map((p) => written.get(key(p))).reduce((a, s) => ({ bytes: a.bytes + s.bytes, gzip: a.gzip + s.gzip, brotli: a.brotli + s.brotli }), { bytes: 0, gzip: 0, brotli: 0 });
  manifest["admin.js"] = written.get(key(entry)).file;
  sizes["admin.js"] = { file: manifest["admin.js"], ...total(first) };
  const later = Object.keys(outputs).filter((p) => !first.has(p) && p.endsWith(".js"));
  sizes["admin views loaded when opened"] = { file: `${later.length} chunks`, ...total(later) };
  const cssBody = Buffer.from(css.outputFiles[0].contents);
  const cssFile = `assets/admin-${hash(cssBody)}.css`;
  sizes["admin.css"] = put(outDir, cssFile, cssBody);
  manifest["admin.css"] = cssFile;
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
