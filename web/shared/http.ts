/**
 * The one fetch core of both front ends: JSON in and out, Parley's error shape turned into an
 * ApiError. The widget authenticates with a bearer token, the desk with its cookie and CSRF
 * token; each says so in its Connection, and web/shared/endpoints.ts names every call.
 */
import type { ErrorBody } from "../../src/shared/codes.js";

/** A refusal from the API: its stable code and the message a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's details, e.g. the passages behind a NEEDS_CONFIRMATION nudge. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** The call outlives the page (a decision sent as the moderator leaves). */
  keepalive?: boolean;
}

export type Request = <T>(method: string, path: string, body?: unknown, options?: CallOptions) => Promise<T>;

export interface Connection {
  /** The Parley origin the paths are relative to ("" for the page's own). */
  base: string;
  /** Headers every call of this method carries, read at each call (a fresh sign-in takes effect at once). */
  headers(method: string): Record<string, string>;
  /** What to say when Parley cannot be reached (and the refusal had no message). */
  offline: string;
  /** The desk sends its session cookie. */
  cookies?: boolean;
  /** Seen before any refusal is thrown (the desk notices a session that ended under it). */
  refused?(status: number, path: string): void;
}

export function connect(c: Connection): Request {
  return async <T>(method: string, path: string, body?: unknown, options: CallOptions = {}) => {
    let res: Response;
    try {
      res = await fetch(c.base + path, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...c.headers(method),
          ...options.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        ...(c.cookies ? { credentials: "same-origin" as const } : {}),
        ...(options.keepalive ? { keepalive: true } : {}),
      });
    } catch {
      throw new ApiError(0, "NETWORK", c.offline);
    }
    if (res.status === 204) return undefined as T;
    const json = (await res.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
    if (!res.ok) {
      c.refused?.(res.status, path);
      const error = json?.error;
      throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? c.offline, error?.details);
    }
    return json as T;
  };
}

/** A query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** A fresh key for one intended write; a retry of the same write reuses it. */
export const newKey = () =>
  typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
