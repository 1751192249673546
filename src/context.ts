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

/**
 * Time-ordered ids (Crockford base32: 10 chars of milliseconds, 10 of randomness). Within
 * one millisecond the random part counts up, so ids sort in the order they were made.
 */
export function timeOrderedIds(clock: Clock = systemClock): Ids {
  let lastTime = -1;
  let tail: number[] = [];
  return {
    next() {
      const now = clock.now();
      if (now === lastTime) {
        let i = tail.length - 1;
        while (i >= 0 && tail[i] === 31) tail[i--] = 0;
        if (i >= 0) tail[i] += 1;
      } else {
        lastTime = now;
        tail = [...randomBytes(10)].map((b) => b % 32);
        tail[0] &= 0x0f; // leaves room to count up within the millisecond
      }
      let time = now;
      let head = "";
      for (let i = 0; i < 10; i++) {
        head = ALPHABET[time % 32] + head;
        time = Math.floor(time / 32);
      }
      return head + tail.map((d) => ALPHABET[d]).join("");
    },
  };
}
