import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedPath, sharedSkip } from "../shared.js";

/** The shared hostile-input corpora (see its README for sources and licences). */
export const CORPORA = sharedPath("data", "security");
export const corporaSkip = sharedSkip("the hostile-input corpora", "data", "security");

export interface Hostile {
  source: string;
  text: string;
}

const json = <T>(file: string) => JSON.parse(readFileSync(join(CORPORA, file), "utf8")) as T;

/** What the corpora cannot express (BLNS has no NUL, CR or LF), made here. */
const GENERATED = [
  "NUL\u0000inside",
  "windows\r\nline\rends",
  "bidi \u202Eevil\u202C and isolates \u2066x\u2069",
  "zero\u200Bwidth\uFEFF joiner\u200D alone, 👩\u200D💻 kept",
  "controls \u0007\u001B[31m red \u009B",
  "decomposed e\u0301 and ℌ",
  "lone surrogate \uD800 here",
  "x".repeat(4999) + "é",
];

/**
 * Every hostile string: DOMPurify's vectors, OWASP's filter-evasion cheat sheet, the Big List
 * of Naughty Strings, markdown-it's XSS fixtures and the CommonMark spec examples.
 */
export function hostileStrings(): Hostile[] {
  const markdownIt = readFileSync(join(CORPORA, "markdown-it-xss.txt"), "utf8")
    .split(/^\.$/m)
    .filter((_, i) => i % 3 === 1)
    .map((s) => s.replace(/^\n/, ""));
  return [
    ...json<{ payload: string }[]>("dompurify-expect.json").map((e) => ({ source: "dompurify", text: e.payload })),
    ...json<{ payload: string }[]>("owasp-xss-filter-evasion.json").map((e) => ({ source: "owasp", text: e.payload })),
    ...json<string[]>("blns.json").map((text) => ({ source: "blns", text })),
    ...markdownIt.map((text) => ({ source: "markdown-it", text })),
    ...json<{ markdown: string }[]>("commonmark-spec-0.31.2.json").map((e) => ({ source: "commonmark", text: e.markdown })),
    ...GENERATED.map((text) => ({ source: "generated", text })),
  ];
}
