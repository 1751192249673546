/**
 * An OpenAI-compatible moderation endpoint: `POST {base}/v1/moderations`. Any base URL, so
 * the same adapter serves OpenAI and self-hosted servers that speak the contract.
 */
import type { ScoreCategory, ScoreResult } from "../types.js";
import { type ExternalScorer, ScorerError, endpoint, isRecord, postJson, probability } from "./http.js";

export interface OpenAiModerationOptions {
  /** e.g. https://api.openai.com; a trailing /v1 is accepted too. */
  baseUrl: string;
  apiKey?: string;
  /** Sent as `model` when set; otherwise the server chooses its default model. */
  model?: string;
  timeoutMs?: number;
}

/**
 * How the moderation categories map onto Parley's. `violence` is left out on purpose: it
 * covers depictions of violence, which news comments discuss without threatening anyone.
 * Profanity and spam have no counterpart and come from the local model.
 */
const MAPPING: Partial<Record<ScoreCategory, string[]>> = {
  toxicity: ["harassment", "hate", "harassment/threatening", "hate/threatening"],
  insult: ["harassment"],
  identityAttack: ["hate", "hate/threatening"],
  threat: ["harassment/threatening", "hate/threatening"],
};
const PROVIDES = Object.keys(MAPPING) as ScoreCategory[];

export function openaiModerationScorer(options: OpenAiModerationOptions): ExternalScorer {
  const url = endpoint(options.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, ""), "/v1/moderations");
  const timeoutMs = options.timeoutMs ?? 800;
  const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  const version = options.model ?? "default";
  return {
    name: "openai-moderation",
    version,
    provides: PROVIDES,
    async score(text: string): Promise<ScoreResult> {
      const request = options.model ? { model: options.model, input: text } : { input: text };
      const answer = await postJson(url, request, headers, timeoutMs);
      const first = isRecord(answer) && Array.isArray(answer.results) ? answer.results[0] : undefined;
      const categoryScores = isRecord(first) ? first.category_scores : undefined;
      if (!isRecord(categoryScores)) throw new ScorerError("answer has no results[0].category_scores", "response");
      const scores = { toxicity: 0, insult: 0, identityAttack: 0, threat: 0, profanity: 0, spam: 0 };
      let found = 0;
      for (const category of PROVIDES) {
        for (const key of MAPPING[category]!) {
          const value = probability(categoryScores[key]);
          if (value === undefined) continue;
          found++;
          scores[category] = Math.max(scores[category], value);
        }
      }
      if (found === 0) throw new ScorerError("answer has no harassment or hate scores", "response");
      const model = isRecord(answer) && typeof answer.model === "string" ? answer.model.slice(0, 100) : version;
      return { scores, spans: [], scorer: { name: "openai-moderation", version: model } };
    },
  };
}
