// Builds the reader-facing front end into dist/web/: the loaders (embed.js, count.js) under
// stable names, and the thread UI and the styles under content-hashed names in assets/,
// each with .gz and .br twins, plus manifest.json mapping logical names to files.
import { renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { ROOT, common, hash, put } from "./assets.mjs";

async function bundle(entry, options = {}) {
  const result = await esbuild.build({ ...common, entryPoints: [join(ROOT, entry)], format: "iife", ...options });
  return Buffer.from(result.outputFiles[0].contents);
}

async function css(entry) {
  const result = await esbuild.build({ ...common, entryPoints: [join(ROOT, entry)], loader: { ".css": "css" } });
  return Buffer.from(result.outputFiles[0].contents);
}

/** The reader-facing catalogs of src/shared/messages, compiled and evaluated here. */
async function readCatalogs() {
  const result = await esbuild.build({ ...common, entryPoints: [join(ROOT, "src/shared/messages/index.ts")], format: "esm", minify: false });
  const source = Buffer.from(result.outputFiles[0].contents).toString("base64");
  const { CATALOGS } = await import(`data:text/javascript;base64,${source}`);
  return CATALOGS;
}

/** Builds everything; returns the manifest and the sizes (bytes, gzip, brotli) of each file. */
export async function buildWeb({ outDir = join(ROOT, "dist", "web") } = {}) {
  const sizes = {};
  const manifest = {};
  const hashed = (name, ext, body) => {
    const file = `assets/${name}-${hash(body)}.${ext}`;
    sizes[`${name}.${ext}`] = put(outDir, file, body);
    manifest[`${name}.${ext}`] = file;
  };
  // Catalogs other than English are content-named JSON files the thread UI fetches when the
  // reader's language asks for one, so no reader downloads a language they do not read.
  const catalogs = {};
  for (const [lang, messages] of Object.entries(await readCatalogs())) {
    if (lang === "en") continue;
    hashed(`messages-${lang}`, "json", Buffer.from(JSON.stringify(messages)));
    catalogs[lang] = `/${manifest[`messages-${lang}.json`]}`;
  }
  hashed("thread", "js", await bundle("web/embed/thread/main.tsx", { define: { __PARLEY_CATALOGS__: JSON.stringify(catalogs) } }));
  hashed("thread", "css", await css("web/embed/thread/thread.css"));
  hashed("site", "css", await css("web/pages/site.css"));
  // The loader learns the hashed names at build time, so it needs no extra request to find them.
  const define = {
    __PARLEY_THREAD_JS__: JSON.stringify(`/${manifest["thread.js"]}`),
    __PARLEY_THREAD_CSS__: JSON.stringify(`/${manifest["thread.css"]}`),
  };
  for (const name of ["embed", "count"]) {
    const body = await bundle(`web/embed/${name === "embed" ? "loader" : "count"}.ts`, { define });
    sizes[`${name}.js`] = put(outDir, `${name}.js`, body);
    manifest[`${name}.js`] = `${name}.js`;
  }
  const tmp = join(outDir, `manifest.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest, null, 2));
  renameSync(tmp, join(outDir, "manifest.json"));
  return { manifest, sizes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { sizes } = await buildWeb();
  for (const [name, s] of Object.entries(sizes)) {
    process.stdout.write(
      `${name.padEnd(12)} ${String(s.bytes).padStart(7)} B  ${String(s.gzip).padStart(6)} B gzip  ${s.file}\n`,
    );
  }
  process.stdout.write(`web assets built in ${Date.now() - started} ms\n`);
}
