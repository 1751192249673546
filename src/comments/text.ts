import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

// C0/C1 controls except tab and newline; zero-width characters; bidi embeddings, overrides and isolates.
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const ZERO_WIDTH = /[\u200B\u200C\u2060\uFEFF\u180E]/g;
// A zero-width joiner survives only inside an emoji sequence, where it belongs.
const STRAY_JOINER = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
// A lone surrogate cannot be stored as UTF-8: both databases would turn it into U+FFFD behind our back.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Normalises user text: NFC, CRLF to LF, no control, zero-width or bidi-override characters.
 * A NUL byte is refused outright: no legitimate comment carries one.
 */
export function normaliseText(raw: string): string {
  if (raw.includes("\u0000")) {
    throw badRequest(ErrorCodes.COMMENT_INVALID_TEXT, "The text contains a NUL character.");
  }
  return raw
    .replace(LONE_SURROGATE, "\uFFFD")
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .replace(ZERO_WIDTH, "")
    .replace(STRAY_JOINER, "")
    .replace(BIDI, "");
}

/** Collapses all whitespace runs to one space, for whitespace-insensitive comparisons. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** Validates a comment body: normalised, not empty, within the length limit. */
export function checkedBody(raw: string, maxLength: number): string {
  const body = normaliseText(raw);
  if (body.trim().length === 0) {
    throw badRequest(ErrorCodes.COMMENT_EMPTY, "Write something before posting: the comment is empty.");
  }
  const length = [...body].length;
  if (length > maxLength) {
    throw badRequest(
      ErrorCodes.COMMENT_TOO_LONG,
      `The comment is ${length} characters long; the limit is ${maxLength}.`,
      { length, maxLength },
    );
  }
  return body;
}
