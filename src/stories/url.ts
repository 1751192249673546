import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

const TRACKING = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid)$/i;

/**
 * One story per article, whatever link a reader arrived by: lower-case host, default
 * port dropped, no fragment, no tracking parameters, no trailing slash except the root.
 */
export function canonicalStoryUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badRequest(ErrorCodes.INVALID_URL, "The story URL is not a valid absolute URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badRequest(ErrorCodes.INVALID_URL, "Story URLs must use http or https.");
  }
  url.hash = "";
  url.username = "";
  url.password = "";
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING.test(key)) url.searchParams.delete(key);
  }
  if (url.searchParams.size === 0) url.search = "";
  if (url.pathname.length > 1 && url.pathname.endsWith("/")) url.pathname = url.pathname.replace(/\/+$/, "") || "/";
  return url;
}
