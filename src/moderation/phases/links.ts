import type { Phase } from "./types.js";
import { linkify } from "../../comments/render.js";
import { publishedUpTo } from "./store.js";

/** Too many links, any link from a new account, or a blocked domain: held for a look. */
export const links: Phase = async ({ deps, actor, settings, body }) => {
  const found = linkify.match(body) ?? [];
  if (found.length === 0) return;
  const reasons = [];
  if (found.length > settings.maxLinks) {
    reasons.push({
      phase: "links",
      code: "TOO_MANY_LINKS",
      message: `${found.length} links; the limit is ${settings.maxLinks}.`,
    });
  }
  const blocked = new Set(settings.blockedDomains);
  for (const link of found) {
    let host = "";
    try {
      host = new URL(link.url).hostname.toLowerCase();
    } catch {
      continue;
    }
    const parts = host.split(".");
    if (parts.some((_, i) => blocked.has(parts.slice(i).join(".")))) {
      reasons.push({ phase: "links", code: "BLOCKED_DOMAIN", message: `Links to ${host}, a blocked domain.` });
      break;
    }
  }
  if (settings.linkMinPublished > 0) {
    if ((await publishedUpTo(deps.store.read, actor.user.id, settings.linkMinPublished)) < settings.linkMinPublished) {
      reasons.push({
        phase: "links",
        code: "NEW_ACCOUNT_LINK",
        message: "Links from accounts with few published comments are reviewed.",
      });
    }
  }
  if (reasons.length > 0) return { hold: true, reasons };
};
