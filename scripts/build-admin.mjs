// Builds the moderator's desk (web/admin) into dist/web/assets/ under content-hashed names,
// with .gz and .br twins, and writes dist/web/admin-manifest.json for src/admin/routes.ts.
// Kept apart from build-web.mjs, which belongs to the reader's widget.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The desk loads once per shift, not on a reader's article, but it should still start fast on a tablet. */
export const ADMIN_BUDGET_GZIP = { "admin.js": 30 * 1024, "admin.css": 6 * 1024 };

const common = {
  bundle: true,
  minify: true,
  write: false,
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  legalComments: "none",
  jsx: "automatic",
  jsxImportSource: "preact",
  logLevel: "silent",
};

const hash = (bytes) => createHash("sha256").update(bytes).digest("base64url").slice(0, 10);

function put(outDir, relative, body) {
  const path = join(outDir, relative);
  mkdirSync(dirname(path), { recursive: true });
  const gz = gzipSync(body, { level: 9 });
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  for (const [suffix, bytes] of [["", body], [".gz", gz], [".br", br]]) {
    const tmp = `${path}${suffix}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, `${path}${suffix}`);
  }
  return { file: relative, bytes: body.length, gzip: gz.length, brotli: br.length };
}

/** Builds the desk; returns its manifest and the sizes of each file. */
export async function buildAdmin({ outDir = join(ROOT, "dist", "web") } = {}) {
  const [js, css] = await Promise.all([
    esbuild.build({ ...common, entryPoints: [join(ROOT, "web/admin/main.tsx")], format: "iife" }),
    esbuild.build({ ...common, entryPoints: [join(ROOT, "web/admin/admin.css")], loader: { ".css": "css" } }),
  ]);
  const manifest = {};
  const sizes = {};
  for (const [name, result] of [["admin.js", js], ["admin.css", css]]) {
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
    process.stdout.write(`${name.padEnd(12)} ${String(s.bytes).padStart(7)} B  ${String(s.gzip).padStart(6)} B gzip  ${s.file}\n`);
  }
  process.stdout.write(`moderator's desk built in ${Date.now() - started} ms\n`);
}
