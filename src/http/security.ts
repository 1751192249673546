import type { ServerOptions } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.js";
import { validationFailed } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { installSiteOriginCheck } from "./site-origin.js";

/** JSON bodies nested deeper than this are refused: no schema here needs more than a handful of levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * Socket-level limits against slow and oversized clients. Live streams send a heartbeat
 * every 20 s, so an idle socket is dropped only well after a healthy stream would have spoken.
 */
export const SERVER_LIMITS = {
  /** Idle socket timeout (no bytes either way). */
  connectionTimeout: 90_000,
  /** The whole request, headers and body, must arrive within this. */
  requestTimeout: 60_000,
  keepAliveTimeout: 5_000,
  http: {
    /** A slow-loris client that dribbles headers is cut off after this. */
    headersTimeout: 15_000,
    maxHeaderSize: 16 * 1024,
    /** How often Node checks the two timeouts above. */
    connectionsCheckingInterval: 2_000,
  } satisfies ServerOptions,
  /**
   * Errors Node raises on the socket before Fastify sees a request: headers too large (431),
   * a request that took too long to arrive (408), or a malformed one (400), each answered in
   * the one error shape rather than Node's bare status line.
   */
  clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
    if (!socket.writable) return socket.destroy();
    const [status, code, message] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, ErrorCodes.HEADERS_TOO_LARGE, "The request's headers are too large."]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, ErrorCodes.REQUEST_TIMEOUT, "The request took too long to arrive."]
          : [400, ErrorCodes.VALIDATION_FAILED, "The request is malformed."];
    const body = JSON.stringify({ error: { code, message } });
    const reason = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" }[status];
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  },
  /** Errors Fastify raises before routing (a path that is not valid UTF-8) keep the one error shape. */
  frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
    void reply.code(400).send({ error: { code: ErrorCodes.VALIDATION_FAILED, message: `The request is malformed: ${error.message}` } });
  },
};

/**
 * The default Content-Security-Policy of Parley's HTML that sets none of its own (article
 * pages, server-rendered threads): Parley's own files only, no inline script or style
 * attribute, no plugins, and only Parley may frame it. Pages with stricter needs (the desk,
 * the account pages) send their own, which is left alone.
 */
export const DEFAULT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
/** Swagger UI (/docs) sets inline styles from its bundle; scripts stay Parley's own. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Anything that is not HTML must never be rendered as a document or framed. */
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'";

function policyFor(request: FastifyRequest, contentType: string): string {
  if (request.url.startsWith("/docs")) return DOCS_CSP;
  return contentType.startsWith("text/html") ? DEFAULT_CSP : DATA_CSP;
}

/** The depth of a parsed JSON value, walked without recursion; stops as soon as it passes `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== "object" || node === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

function securityHeaders(config: Config) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header("x-content-type-options", "nosniff");
    if (!reply.hasHeader("referrer-policy")) reply.header("referrer-policy", "strict-origin-when-cross-origin");
    if (config.hstsSeconds > 0) {
      reply.header("strict-transport-security", `max-age=${config.hstsSeconds}${config.hstsIncludeSubdomains ? "; includeSubDomains" : ""}`);
    }
    if (!reply.hasHeader("content-security-policy")) {
      reply.header("content-security-policy", policyFor(request, String(reply.getHeader("content-type") ?? "")));
    }
    return payload;
  };
}

/**
 * Response headers every answer carries (nosniff, referrer policy, HSTS when configured,
 * a CSP where the route set none), the JSON depth limit on every body, and writes to a story
 * only from its own site's pages (`site-origin.ts`).
 */
export function installSecurity(app: FastifyInstance, config: Config): void {
  app.addHook("onSend", securityHeaders(config));
  app.addHook("preValidation", async (request) => {
    if (typeof request.body === "object" && request.body !== null && jsonDepth(request.body) > MAX_JSON_DEPTH) {
      throw validationFailed(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    }
    // No id, slug or query value of Parley's holds a NUL, and PostgreSQL refuses one in text
    // ("invalid byte sequence"): a clear 400 here, not a 500 from the database.
    if (/%00|\u0000/.test(request.url)) throw validationFailed("The address holds a NUL character (%00), which no Parley address or value contains.");
  });
  installSiteOriginCheck(app);
}
