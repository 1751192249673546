import type { ErrorBody } from "../../shared/types.js";

/** A refusal from the API: its stable code and the message the reader can act on. */
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

export type Request = <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;

/** A JSON client for Parley's API; the bearer token is read at each call, so sign-in takes effect at once. */
export function client(base: string, token: () => string | undefined, offline: string): Request {
  return async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const bearer = token();
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, "NETWORK", offline);
    }
    if (res.status === 204) return undefined as T;
    const json = (await res.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
    if (!res.ok) {
      throw new ApiError(res.status, json?.error?.code ?? "HTTP_" + res.status, json?.error?.message ?? offline, json?.error?.details);
    }
    return json as T;
  };
}

/** A fresh key for one intended write; a retry of the same write reuses it. */
export const newKey = () =>
  typeof crypto.randomUUID === "function" ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
