import { createHash } from "node:crypto";
import type { Deps } from "../deps.js";
import { badRequest, validationFailed } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { normaliseText } from "../comments/text.js";
import { staffNameTaken } from "./store.js";

// Letters from other scripts (and digits) that pass for Latin ones, after NFKC and
// lower-casing: a small part of Unicode's confusables (UTS #39), the part used to
// impersonate names in Latin script.
const CONFUSABLES: Record<string, string> = {
  "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "l", "ј": "j", "ѕ": "s",
  "ԁ": "d", "һ": "h", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "ɡ": "g", "ı": "l", "ɩ": "l",
  "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "l", "κ": "k", "τ": "t", "υ": "u", "χ": "x", "ε": "e",
  "0": "o", "1": "l", "i": "l", "|": "l", "!": "l", "3": "e", "5": "s", "$": "s", "@": "a", "7": "t",
};

/** Zero-width characters and bidi controls: invisible, and used to fake or reorder names. */
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/g;

/** A display name as shown: NFC text, invisible characters gone, spaces collapsed, 2–40 characters. */
export function normaliseDisplayName(raw: string): string {
  const name = normaliseText(raw.replace(INVISIBLE, "")).replace(/\s+/g, " ").trim();
  const length = [...name].length;
  if (length < 2 || length > 40) {
    throw validationFailed("Display names are 2 to 40 characters long.", { field: "displayName" });
  }
  if (/\p{Cc}|\p{Co}|\p{Cn}/u.test(name)) throw validationFailed("Display names cannot hold control characters.", { field: "displayName" });
  return name;
}

/** The name's skeleton: what it looks like, so "Adm1n", "Αdmin" (Greek Alpha) and "admin" collide. */
export function nameSkeleton(name: string): string {
  const folded = name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(INVISIBLE, "");
  let out = "";
  for (const ch of folded) out += CONFUSABLES[ch] ?? ch;
  return out.replace(/rn/g, "m").replace(/vv/g, "w").replace(/[\s._\-'’`"~*]+/g, "");
}

/**
 * Refuses a name that looks like a staff member's (staff, moderators, admins), other than
 * the user's own. Only privileged accounts keep a skeleton (set when they are created with
 * a role, granted a site role, or made staff by SSO), so the lookup is one small index.
 */
export async function assertNameAllowed(deps: Deps, name: string, userId: string | null): Promise<string> {
  const skeleton = nameSkeleton(name);
  if (await staffNameTaken(deps.store.read, skeleton, userId)) {
    throw badRequest(ErrorCodes.NAME_NOT_ALLOWED, "This name looks like a staff member's; choose another one.", {
      field: "displayName",
    });
  }
  return skeleton;
}

/** Gravatar's address for an e-mail (SHA-256, as Gravatar accepts), with the identicon fallback. */
export function gravatarUrl(email: string): string {
  const hash = createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
  return `https://www.gravatar.com/avatar/${hash}?d=identicon&s=80`;
}

/** Only https images from SSO or OIDC; anything else falls back to the generated avatar. */
export function safeAvatarUrl(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > 2000) return null;
  try {
    const url = new URL(raw);
    return url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}
