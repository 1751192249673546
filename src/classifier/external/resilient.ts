/**
 * Wraps an external scorer so that a slow or broken service never blocks commenting:
 * a deadline per call (in the adapter), a circuit breaker, a cache by content hash, and
 * the local model for whatever the service does not answer.
 *
 * Fail-open: when the service fails, the comment is scored by the local model alone.
 * Fail-closed: the local model's scores are returned with `unavailable` set, and the
 * moderation pipeline holds the comment for a moderator (reason SCORER_UNAVAILABLE).
 * Neither throws, so a comment is never refused because a scorer is down.
 */
import { createHash } from "node:crypto";
import { SCORE_CATEGORIES, type ScoreContext, type ScoreResult, type Scorer } from "../types.js";
import { ScorerError } from "./http.js";

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures?: number;
  /** How long the circuit stays open before one trial call is let through. */
  cooldownMs?: number;
  now?: () => number;
}

/** Closed → (n failures) → open → (cooldown) → half-open: one trial; success closes, failure reopens. */
export class CircuitBreaker {
  private failuresInARow = 0;
  private openedAt = 0;
  private current: BreakerState = "closed";
  private trialInFlight = false;
  private readonly limit: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(options: BreakerOptions = {}) {
    this.limit = options.failures ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.current === "open" && this.now() - this.openedAt >= this.cooldownMs) this.current = "half-open";
    return this.current;
  }

  /** Whether a call may go to the service now; in half-open, only one at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.trialInFlight = false;
    this.failuresInARow = 0;
    this.current = "closed";
  }

  failure(): void {
    this.trialInFlight = false;
    this.failuresInARow++;
    if (this.current === "half-open" || this.failuresInARow >= this.limit) {
      this.current = "open";
      this.openedAt = this.now();
    }
  }

  /** A call that ended without telling anything about the service's health. */
  release(): void {
    this.trialInFlight = false;
  }
}

export interface CacheOptions {
  maxEntries?: number;
  ttlMs?: number;
  now?: () => number;
}

/** Scores by SHA-256 of the text (and language), least recently used out first. */
export class ScoreCache {
  private readonly entries = new Map<string, { result: ScoreResult; at: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: CacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.now = options.now ?? Date.now;
  }

  static key(text: string, context?: ScoreContext): string {
    return createHash("sha256").update(`${context?.language ?? ""}\u0000${text}`).digest("base64url");
  }

  get(key: string): ScoreResult | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (this.now() - hit.at > this.ttlMs) return undefined;
    this.entries.set(key, hit);
    return copy(hit.result);
  }

  set(key: string, result: ScoreResult): void {
    this.entries.delete(key);
    this.entries.set(key, { result: copy(result), at: this.now() });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}

const copy = (r: ScoreResult): ScoreResult => ({ ...r, scores: { ...r.scores }, spans: r.spans.map((s) => ({ ...s })) });

export interface ResilientOptions {
  failOpen: boolean;
  breaker?: CircuitBreaker | BreakerOptions;
  /** `false` turns caching off. */
  cache?: ScoreCache | CacheOptions | false;
  /** Told about failures; never given the text. */
  log?: { warn(details: object, message: string): void };
}

export interface ResilientScorer extends Scorer {
  readonly breaker: CircuitBreaker;
  readonly cache: ScoreCache | null;
  readonly stats: { external: number; cacheHits: number; failures: number; skipped: number };
  score(text: string, context?: ScoreContext): Promise<ScoreResult>;
}

export function resilientScorer(primary: Scorer & { provides?: readonly string[] }, fallback: Scorer, options: ResilientOptions): ResilientScorer {
  const breaker = options.breaker instanceof CircuitBreaker ? options.breaker : new CircuitBreaker(options.breaker);
  const cache = options.cache === false ? null : options.cache instanceof ScoreCache ? options.cache : new ScoreCache(options.cache);
  const stats = { external: 0, cacheHits: 0, failures: 0, skipped: 0 };
  const provides = new Set(primary.provides ?? SCORE_CATEGORIES);

  /** The service's scores where it has them, the local model's for the rest. */
  const complete = (external: ScoreResult, local: ScoreResult): ScoreResult => {
    if (provides.size === SCORE_CATEGORIES.length) return external;
    const scores = { ...external.scores };
    for (const c of SCORE_CATEGORIES) if (!provides.has(c)) scores[c] = local.scores[c];
    const spans = [...external.spans.filter((s) => provides.has(s.category)), ...local.spans.filter((s) => !provides.has(s.category))];
    return { scores, spans: spans.sort((a, b) => a.start - b.start || a.end - b.end), scorer: external.scorer };
  };

  const failed = (local: ScoreResult, why: string): ScoreResult =>
    options.failOpen
      ? local
      : { ...local, unavailable: { code: "SCORER_UNAVAILABLE", message: `The external scorer (${primary.name}) did not answer: ${why}.` } };

  return {
    name: primary.name,
    version: primary.version,
    breaker,
    cache,
    stats,
    async score(text, context) {
      const key = cache ? ScoreCache.key(text, context) : "";
      const cached = cache?.get(key);
      if (cached) {
        stats.cacheHits++;
        return cached;
      }
      const local = await fallback.score(text, context);
      if (!breaker.allow()) {
        stats.skipped++;
        return failed(local, "its circuit is open after repeated failures");
      }
      stats.external++;
      try {
        const result = complete(await primary.score(text, context), local);
        breaker.success();
        cache?.set(key, result);
        return result;
      } catch (error) {
        stats.failures++;
        const why = error instanceof Error ? error.message : String(error);
        if (error instanceof ScorerError && !error.countsAgainstService) breaker.release();
        else breaker.failure();
        options.log?.warn({ scorer: primary.name, err: why, breaker: breaker.state }, "external scorer failed; using the local model");
        return failed(local, why);
      }
    },
  };
}
