import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../accounts/actor.js";
import { authenticate } from "../accounts/service.js";
import type { Deps } from "../deps.js";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";

/**
 * Cookie sessions for Parley's own pages (the moderator's desk). The cookie holds the same
 * session token a bearer client gets; it is HttpOnly so page script never sees it, and
 * SameSite=Strict so other sites' pages cannot send it. Writes also need a CSRF token that
 * is derived from the session by HMAC, so the server stores nothing extra and a token
 * stolen from one session is worthless in another.
 */
export const SESSION_COOKIE = "parley_session";
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The value of one cookie in the request, or undefined. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A malformed escape (`%E0%A4%A`) is a cookie we did not set: ignore it rather than fail the request.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The CSRF token of a session: an HMAC of its id with the server secret. */
export function csrfToken(deps: Deps, sessionId: string): string {
  return createHmac("sha256", deps.config.secret).update(`csrf:${sessionId}`).digest("base64url");
}

function csrfMatches(deps: Deps, sessionId: string, given: string | string[] | undefined): boolean {
  if (typeof given !== "string") return false;
  const expected = Buffer.from(csrfToken(deps, sessionId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const isSecure = (deps: Deps, request: FastifyRequest) =>
  request.protocol === "https" || deps.config.publicUrl.startsWith("https:");

/** Sets the session cookie; Secure whenever Parley is reached over https. */
export function setSessionCookie(deps: Deps, request: FastifyRequest, reply: FastifyReply, token: string): void {
  const maxAge = deps.config.sessionDays * 24 * 3600;
  const secure = isSecure(deps, request) ? "; Secure" : "";
  reply.header(
    "set-cookie",
    `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`,
  );
}

export function clearSessionCookie(deps: Deps, request: FastifyRequest, reply: FastifyReply): void {
  const secure = isSecure(deps, request) ? "; Secure" : "";
  reply.header("set-cookie", `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure}`);
}

/**
 * The actor behind the session cookie, for requests without an Authorization header.
 * A stale or unknown cookie is ignored (the request is anonymous); a valid one on a
 * write must come with the session's CSRF token, or the request is refused.
 */
export async function actorFromCookie(deps: Deps, request: FastifyRequest): Promise<Actor | null> {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token) return null;
  // Signing in replaces whatever session the cookie holds, and carries no CSRF token yet; the
  // reader's sign-in and sign-up on Parley's own article pages use bearer tokens, not this cookie.
  const route = request.routeOptions.url ?? "";
  // The notice page's form signs in no one (a notice from it is sent without an account).
  if ((request.method === "POST" && (route === "/admin/session" || route === "/notice")) || route.startsWith("/api/v1/auth/")) return null;
  const actor = await authenticate(deps, token);
  if (!actor) return null;
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(deps, actor.sessionId, request.headers[CSRF_HEADER])) {
    throw new AppError(
      403,
      ErrorCodes.CSRF_FAILED,
      "This request lacks its CSRF token; reload the page and try again.",
    );
  }
  return actor;
}
