import { createHash } from "node:crypto";
import { foldForCopies } from "../classifier/fold.js";

const SIGNATURE = 64;
const SHINGLE = 5;
// Fixed odd multipliers and offsets for the 64 hash functions (a deterministic stream, not secrets).
const SEEDS = Array.from({ length: SIGNATURE }, (_, i) => [
  (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0,
  Math.imul(i + 7, 0x85ebca6b) >>> 0,
]);

/**
 * The text as duplicate checks compare it: the same folding as the word lists and the
 * scorer (look-alike letters, accents, invisible characters), then case, spacing and
 * punctuation folded away.
 */
export function foldForDuplicates(text: string): string {
  return foldForCopies(text);
}

export function textHash(text: string): string {
  return createHash("sha256").update(foldForDuplicates(text)).digest("hex").slice(0, 32);
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A MinHash signature over character 5-grams; two signatures estimate the texts' Jaccard similarity. */
export function minhash(text: string): Uint32Array {
  const folded = foldForDuplicates(text);
  const shingles = new Set<number>();
  if (folded.length <= SHINGLE) shingles.add(fnv1a(folded));
  for (let i = 0; i + SHINGLE <= folded.length; i++) shingles.add(fnv1a(folded.slice(i, i + SHINGLE)));
  const signature = new Uint32Array(SIGNATURE).fill(0xffffffff);
  for (const s of shingles) {
    for (let k = 0; k < SIGNATURE; k++) {
      const h = (Math.imul(s, SEEDS[k][0]) + SEEDS[k][1]) >>> 0;
      if (h < signature[k]) signature[k] = h;
    }
  }
  return signature;
}

export const encodeSignature = (s: Uint32Array) => Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString("base64");
export function decodeSignature(encoded: string): Uint32Array {
  const bytes = Buffer.from(encoded, "base64");
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE; k++) if (a[k] === b[k]) same++;
  return same / SIGNATURE;
}
