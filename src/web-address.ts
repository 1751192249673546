import { badRequest } from "./errors.js";
import { ErrorCodes } from "./shared/codes.js";

/**
 * A link a reader gives as evidence or a source: an http(s) address, normalised, or a 400
 * `INVALID_URL` that names it (`what`: "The evidence link", "A source", …).
 */
export function webAddress(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badRequest(ErrorCodes.INVALID_URL, `${what} is not a web address; paste a link starting with https://.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw badRequest(ErrorCodes.INVALID_URL, `${what} must be a web page (http or https).`);
  }
  return url.href;
}
