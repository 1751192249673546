import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

/**
 * The keyset cursor of a list ordered by (time, id), such as the desk's corrections and
 * questions: opaque to clients, tagged with its list so one list's cursor is refused by another.
 */
export function encodeTimeCursor(list: string, at: number, id: string): string {
  return Buffer.from(JSON.stringify([list, at, id])).toString("base64url");
}

export function decodeTimeCursor(list: string, cursor: string): { at: number; id: string } {
  try {
    const [tag, at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (tag === list && Number.isSafeInteger(at) && typeof id === "string" && id.length > 0 && id.length <= 64) {
      return { at: at as number, id };
    }
  } catch {
    // refused below
  }
  throw badRequest(
    ErrorCodes.INVALID_CURSOR,
    "The cursor is not valid for this list; start again from the first page.",
  );
}
