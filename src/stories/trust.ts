import { createHmac, timingSafeEqual } from "node:crypto";
import type { Site } from "../site/service.js";
import { DEFAULT_STORY_QUERY_PARAMS } from "./url.js";

/** The query parameters that are part of an article's address on this site (`settings.stories.queryParams`). */
export function storyQueryParams(site: Site): readonly string[] {
  const stories = site.settings.stories as { queryParams?: unknown } | undefined;
  const named = stories?.queryParams;
  return Array.isArray(named) && named.every((p) => typeof p === "string") ? named : DEFAULT_STORY_QUERY_PARAMS;
}

/** What a story is called until its publisher names it: its URL's path, which a page cannot dress up. */
export const titleFromPath = (url: URL) => decodeURIComponent(url.pathname).slice(0, 300) || "/";

/** The signature a publisher's page carries for its title: HMAC-SHA256 of "<canonical url>\n<title>" with an SSO secret, base64url. */
export function signTitle(secret: string, url: string, title: string): string {
  return createHmac("sha256", secret).update(`${url}\n${title}`).digest("base64url");
}

/** Whether one of the site's SSO secrets signed this title for this URL. */
export function titleSignedBy(site: Site, url: string, title: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const accounts = site.settings.accounts as { sso?: { secrets?: { secret?: unknown }[] } } | undefined;
  const given = Buffer.from(signature);
  return (accounts?.sso?.secrets ?? []).some((s) => {
    if (typeof s.secret !== "string") return false;
    const expected = Buffer.from(signTitle(s.secret, url, title));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
