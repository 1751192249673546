import { createHash } from "node:crypto";
import { foldForCopies } from "../classifier/fold.js";

const SIGNATURE = 64;
const SHINGLE = 5;
// Fixed odd multipliers and offsets for the 64 hash functions (a deterministic stream, not secrets).
const MULTIPLIERS = Uint32Array.from({ length: SIGNATURE }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0);
const OFFSETS = Uint32Array.from({ length: SIGNATURE }, (_, i) => Math.imul(i + 7, 0x85ebca6b) >>> 0);

/**
 * A post's text is folded, hashed and signed by the duplicates phase and again when the
 * verdict is stored: the last few results are kept, keyed by the text itself (they are pure).
 */
const MEMO = 8;
function memo<T>(compute: (text: string) => T): (text: string) => T {
  const keys: string[] = [];
  const values: T[] = [];
  return (text) => {
    const at = keys.indexOf(text);
    if (at >= 0) return values[at];
    const value = compute(text);
    if (keys.length >= MEMO) {
      keys.shift();
      values.shift();
    }
    keys.push(text);
    values.push(value);
    return value;
  };
}

/**
 * The text as duplicate checks compare it: the same folding as the word lists and the
 * scorer (look-alike letters, accents, invisible characters), then case, spacing and
 * punctuation folded away.
 */
export const foldForDuplicates: (text: string) => string = memo(foldForCopies);

export const textHash: (text: string) => string = memo((text) =>
  createHash("sha256").update(foldForDuplicates(text)).digest("hex").slice(0, 32),
);

/** FNV-1a over `length` UTF-16 units of `s` from `from` (no substring made). */
function fnv1a(s: string, from: number, length: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < from + length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const signed = memo((text: string): Uint32Array => {
  const folded = foldForDuplicates(text);
  const shingles = new Set<number>();
  if (folded.length <= SHINGLE) shingles.add(fnv1a(folded, 0, folded.length));
  for (let i = 0; i + SHINGLE <= folded.length; i++) shingles.add(fnv1a(folded, i, SHINGLE));
  const signature = new Uint32Array(SIGNATURE).fill(0xffffffff);
  for (const s of shingles) {
    for (let k = 0; k < SIGNATURE; k++) {
      const h = (Math.imul(s, MULTIPLIERS[k]) + OFFSETS[k]) >>> 0;
      if (h < signature[k]) signature[k] = h;
    }
  }
  return signature;
});

/** A MinHash signature over character 5-grams; two signatures estimate the texts' Jaccard similarity. */
export function minhash(text: string): Uint32Array {
  // A copy: the kept one is shared by the callers of the memo.
  return signed(text).slice();
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

/** One stored signature decoded at a time into this buffer: comparing 500 candidates allocates nothing. */
const scratch = Buffer.alloc(SIGNATURE * 4);
const scratchWords = new Uint32Array(scratch.buffer, scratch.byteOffset, SIGNATURE);

/** `similarity(signature, decodeSignature(encoded))`, without decoding into a new array. */
export function similarityTo(signature: Uint32Array, encoded: string): number {
  const written = scratch.write(encoded, "base64");
  if (written !== SIGNATURE * 4) return similarity(signature, decodeSignature(encoded));
  return similarity(signature, scratchWords);
}
