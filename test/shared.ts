import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "../src/paths.js";

/**
 * The shared research folder (corpora, labelled data, the research sample thread). It is
 * never committed and a plain clone has none: `PARLEY_SHARED_DIR` names it, else `../shared`
 * beside the checkout. Tests that need it skip with one line; nothing else may read it.
 */
export const SHARED_DIR = resolve(process.env.PARLEY_SHARED_DIR || join(ROOT, "..", "shared"));

/** A path inside the shared folder. */
export const sharedPath = (...parts: string[]) => join(SHARED_DIR, ...parts);

/** `false` when the shared file or folder is there, else the one line a skipped test prints. */
export function sharedSkip(what: string, ...parts: string[]): string | false {
  const path = sharedPath(...parts);
  return existsSync(path) ? false : `${what} not found at ${path} (set PARLEY_SHARED_DIR); skipping`;
}

export interface SampleComment {
  n: number;
  author: string;
  parent: number | null;
  body: string;
  expect: "published" | "held" | "rejected";
  why?: string;
}
export interface SampleThread {
  comments: SampleComment[];
}

const readThread = (path: string) => JSON.parse(readFileSync(path, "utf8")) as SampleThread;

/** The repository's own sample thread (test/fixtures), always there. */
export const sampleThread = (): SampleThread => readThread(join(ROOT, "test", "fixtures", "sample-thread.json"));

/** The research sample thread of the shared folder, when present. */
export const SHARED_THREAD_SKIP = sharedSkip("the research sample thread", "fixtures", "sample-thread.json");
export const sharedSampleThread = (): SampleThread | undefined =>
  SHARED_THREAD_SKIP ? undefined : readThread(sharedPath("fixtures", "sample-thread.json"));
