import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find Parley's package.json");
    dir = up;
  }
  return dir;
}

/** The repository (or installed package) root, whether running from src/ or dist/. */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const CONTENT_DIR = join(ROOT, "content");
