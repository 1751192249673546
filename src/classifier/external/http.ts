/**
 * The one HTTP call external scorers make: a JSON POST with a deadline. Failures carry a
 * kind so the resilient wrapper can tell a sick service (trip the breaker) from a request
 * the service refused for its own content (fall back, but the service is fine).
 */
import type { ScoreCategory, ScoreResult, Scorer } from "../types.js";

export type ScorerFailureKind = "timeout" | "network" | "status" | "response";

export class ScorerError extends Error {
  constructor(
    message: string,
    readonly kind: ScorerFailureKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ScorerError";
  }

  /** 400, 413 and 422 are about this one text (language, size): the service itself is well. */
  get countsAgainstService(): boolean {
    return !(this.kind === "status" && (this.status === 400 || this.status === 413 || this.status === 422));
  }
}

/** A scorer that answers only some categories; the others come from the local model. */
export interface ExternalScorer extends Scorer {
  readonly provides: readonly ScoreCategory[];
  score(text: string, context?: Parameters<Scorer["score"]>[1]): Promise<ScoreResult>;
}

/** `base` without trailing slashes, then `path`. */
export function endpoint(base: string, path: string): URL {
  return new URL(base.replace(/\/+$/, "") + path);
}

export async function postJson(url: URL, body: unknown, headers: Record<string, string>, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") throw new ScorerError(`no answer within ${timeoutMs} ms`, "timeout");
    throw new ScorerError(`request failed: ${error instanceof Error ? error.message : String(error)}`, "network");
  }
  // The body of an error answer may quote the comment, so only the status is kept.
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new ScorerError(`answered ${response.status}`, "status", response.status);
  }
  try {
    return await response.json();
  } catch {
    throw new ScorerError("answered with a body that is not JSON", "response");
  }
}

/** A probability from an untrusted answer, or undefined when it is not a number in 0–1. */
export function probability(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
