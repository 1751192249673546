import { randomBytes } from "node:crypto";

/** Time, injected so tests can move it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Identifiers, injected so tests can make them predictable. */
export interface Ids {
  next(): string;
}

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Time-ordered ids (Crockford base32: 10 chars of milliseconds, 10 of randomness). */
export function timeOrderedIds(clock: Clock = systemClock): Ids {
  return {
    next() {
      let time = clock.now();
      let head = "";
      for (let i = 0; i < 10; i++) {
        head = ALPHABET[time % 32] + head;
        time = Math.floor(time / 32);
      }
      const bytes = randomBytes(10);
      let tail = "";
      for (const b of bytes) tail += ALPHABET[b % 32];
      return head + tail;
    },
  };
}
