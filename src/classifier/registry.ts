/**
 * The scorer each site uses. External scorers are built once per site and setting, so
 * their circuit breaker and cache live across comments; the shared local model
 * (`deps.scorer`) is always the fallback.
 */
import type { Deps } from "../deps.js";
import { openaiModerationScorer } from "./external/openai.js";
import { perspectiveScorer } from "./external/perspective.js";
import { type ResilientScorer, resilientScorer } from "./external/resilient.js";
import { DEFAULT_TIMEOUT_MS, type ScorerSettings } from "./settings.js";
import type { Scorer } from "./types.js";

const bySite = new Map<string, { key: string; fallback: Scorer; scorer: ResilientScorer }>();

export function scorerForSite(deps: Pick<Deps, "scorer" | "log">, siteId: string, settings: { scorer?: ScorerSettings }): Scorer {
  const setting = settings.scorer;
  if (!setting || setting.kind === "local") return deps.scorer;
  const key = JSON.stringify(setting);
  const known = bySite.get(siteId);
  if (known && known.key === key && known.fallback === deps.scorer) return known.scorer;
  const timeoutMs = setting.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const primary =
    setting.kind === "openai"
      ? openaiModerationScorer({ baseUrl: setting.baseUrl, apiKey: setting.apiKey, model: setting.model, timeoutMs })
      : perspectiveScorer({ baseUrl: setting.baseUrl, apiKey: setting.apiKey, path: setting.path, timeoutMs });
  const scorer = resilientScorer(primary, deps.scorer, { failOpen: setting.failOpen ?? true, log: deps.log });
  bySite.set(siteId, { key, fallback: deps.scorer, scorer });
  return scorer;
}

/** Drops the built scorers (their breakers and caches); for tests and settings reloads. */
export function forgetSiteScorers(): void {
  bySite.clear();
}
