import { readFileSync } from "node:fs";
import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

/** NIST SP 800-63B: at least 10 characters, any characters, no composition rules, not a common password. */
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 256;

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL("./data/common-passwords.txt", import.meta.url), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#")),
  );
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.normalize("NFKC").toLowerCase());
}

/** Refuses a password a new account or a reset may not use; the message says why. */
export function checkNewPassword(password: string, context: { email?: string | null } = {}): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
    throw badRequest(ErrorCodes.WEAK_PASSWORD, `Use a password of at least ${MIN_PASSWORD} characters.`, {
      minLength: MIN_PASSWORD,
      reason: "length",
    });
  }
  const folded = password.normalize("NFKC").toLowerCase();
  if (isCommonPassword(password) || new Set(folded).size === 1 || (context.email && folded === context.email)) {
    throw badRequest(ErrorCodes.WEAK_PASSWORD, "This password is too common; choose another one.", {
      minLength: MIN_PASSWORD,
      reason: "common",
    });
  }
}
