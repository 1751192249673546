import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

const TRACKING = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid)$/i;

/** Kept unless a site names its own: WordPress's plain permalinks (`?p=123`, `?page_id=7`). */
export const DEFAULT_STORY_QUERY_PARAMS = ["p", "page_id"];

/**
 * One story per article, whatever link a reader arrived by: lower-case host, default
 * port dropped, no fragment, no trailing slash except the root, and no query string but the
 * parameters the site names as part of an article's address (`keep`), so `?x=1` and `?x=2`
 * are one thread, not two. Without `keep`, every parameter but tracking ones stays (admins'
 * and imports' URLs are taken as given).
 */
export function canonicalStoryUrl(raw: string, keep?: readonly string[]): URL {
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
  for (const key of [...new Set(url.searchParams.keys())]) {
    if (TRACKING.test(key) || (keep !== undefined && !keep.includes(key))) url.searchParams.delete(key);
  }
  if (url.searchParams.size === 0) url.search = "";
  if (url.pathname.length > 1 && url.pathname.endsWith("/")) url.pathname = url.pathname.replace(/\/+$/, "") || "/";
  return url;
}
