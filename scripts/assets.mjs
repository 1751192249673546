// What both front-end builds share: the esbuild options, content hashes, and writing a file
// with its .gz and .br twins.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const common = {
  bundle: true,
  minify: true,
  write: false,
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  legalComments: "none",
  jsx: "automatic",
  jsxImportSource: "preact",
  logLevel: "silent",
};

/** The first 10 characters of the content's SHA-256, for cache-busting file names. */
export const hash = (bytes) => createHash("sha256").update(bytes).digest("base64url").slice(0, 10);

export /** Writes a file and its compressed twins; renames into place so a concurrent reader never sees half a file. */
function put(outDir, relative, body) {
  const path = join(outDir, relative);
  mkdirSync(dirname(path), { recursive: true });
  const gz = gzipSync(body, { level: 9 });
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  for (const [suffix, bytes] of [
    ["", body],
    [".gz", gz],
    [".br", br],
  ]) {
    const tmp = `${path}${suffix}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, `${path}${suffix}`);
  }
  return { file: relative, bytes: body.length, gzip: gz.length, brotli: br.length };
}
