import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

import type { Queue } from "../shared/queues.js";

export type { Queue };

/** Queue positions: (priority, createdAt, id) for review queues, (time, id) for the others. */
export type QueuePosition = { queue: Queue; values: [number, number, string] | [number, string] };

export function encodeQueueCursor(position: QueuePosition): string {
  return Buffer.from(JSON.stringify([position.queue, ...position.values])).toString("base64url");
}

export function decodeQueueCursor(cursor: string, queue: Queue): QueuePosition["values"] {
  const invalid = badRequest(
    ErrorCodes.INVALID_CURSOR,
    "The cursor is not valid for this queue; start from the first page.",
  );
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed[0] !== queue) throw invalid;
  const rest = parsed.slice(1);
  const ranked = queue === "pending" || queue === "reported";
  const numbers = rest.slice(0, -1);
  const id = rest[rest.length - 1];
  if (rest.length !== (ranked ? 3 : 2) || typeof id !== "string" || !numbers.every((n) => Number.isSafeInteger(n)))
    throw invalid;
  return ranked ? [numbers[0] as number, numbers[1] as number, id] : [numbers[0] as number, id];
}
