// `npm start` runs this first: it builds (npm run build) only when what the build reads has
// changed since the last successful build, so a restart costs a second, not a rebuild. The
// stamp is a hash of the inputs' paths, sizes and modification times (a stat per file, not a
// read: it runs on every start), kept in dist/.build-stamp.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./assets.mjs";

/** What the build reads: the sources, the front ends, the build scripts and the toolchain's versions. */
const INPUTS = ["src", "web", "scripts", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];
/** What a build leaves behind; a stamp without them (a deleted dist/) means nothing is built. */
const OUTPUTS = ["dist/src/main.js", "dist/web/manifest.json", "dist/web/admin-manifest.json"];
const STAMP = join(ROOT, "dist", ".build-stamp");

function* files(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) return yield path;
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    yield* files(join(path, entry.name));
  }
}

export function sourceStamp() {
  const hash = createHash("sha256").update(`node ${process.versions.modules}\n`);
  for (const input of INPUTS) {
    for (const file of files(join(ROOT, input))) {
      const { size, mtimeMs } = statSync(file);
      hash.update(`${relative(ROOT, file)} ${size} ${mtimeMs}\n`);
    }
  }
  return hash.digest("hex");
}

const upToDate = (stamp) =>
  OUTPUTS.every((file) => existsSync(join(ROOT, file))) &&
  existsSync(STAMP) &&
  readFileSync(STAMP, "utf8").trim() === stamp;

const stamp = sourceStamp();
if (upToDate(stamp)) {
  process.stdout.write("parley: the build is up to date\n");
} else {
  process.stdout.write("parley: sources changed since the last build; building\n");
  const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(STAMP, `${stamp}\n`);
}
