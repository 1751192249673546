import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../paths.js";

/** Where scripts/build-web.mjs writes the widget, the loaders and the page styles. */
export const WEB_DIST = join(ROOT, "dist", "web");

/** Logical names (`thread.js`, `thread.css`, `site.css`) to content-hashed file names. */
export type Manifest = Record<string, string>;

let manifest: { at: number; value: Manifest } | undefined;

/**
 * The build manifest, re-read when it changes on disk at most once a second, so a
 * rebuild during development needs no restart. Empty when the web assets were never built.
 */
export function readManifest(now = Date.now()): Manifest {
  if (manifest && now - manifest.at < 1000) return manifest.value;
  const file = join(WEB_DIST, "manifest.json");
  const value = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Manifest) : {};
  manifest = { at: now, value };
  return value;
}

/** The public path of a built asset, or undefined before the first build. */
export function assetPath(name: string): string | undefined {
  const file = readManifest()[name];
  return file ? `/${file}` : undefined;
}

interface Cached {
  body: Buffer;
  gzip?: Buffer;
  brotli?: Buffer;
}
const files = new Map<string, Cached>();

/** A built file with its precompressed twins, read once; undefined when absent. */
export function builtFile(relative: string): Cached | undefined {
  const hit = files.get(relative);
  if (hit) return hit;
  const path = join(WEB_DIST, relative);
  if (!existsSync(path)) return undefined;
  const read = (p: string) => (existsSync(p) ? readFileSync(p) : undefined);
  const entry = { body: readFileSync(path), gzip: read(`${path}.gz`), brotli: read(`${path}.br`) };
  // Hashed files never change; the stable loaders may be rebuilt, so they are re-read.
  if (relative.startsWith("assets/")) files.set(relative, entry);
  return entry;
}
