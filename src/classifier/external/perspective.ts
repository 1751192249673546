/**
 * A Perspective-compatible endpoint (`comments:analyze`): Google's, a self-hosted clone,
 * or another Parley (`path: "/api/v1/analyze"`).
 */
import type { ScoreCategory, ScoreContext, ScoreResult, ScoreSpan } from "../types.js";
import { type ExternalScorer, ScorerError, endpoint, isRecord, postJson, probability } from "./http.js";

export interface PerspectiveOptions {
  /** e.g. https://commentanalyzer.googleapis.com */
  baseUrl: string;
  apiKey?: string;
  /** The path after the base; Perspective's own by default. */
  path?: string;
  timeoutMs?: number;
}

/** Perspective's attribute for each Parley category it covers (spam has none). */
export const PERSPECTIVE_ATTRIBUTE: Partial<Record<ScoreCategory, string>> = {
  toxicity: "TOXICITY",
  insult: "INSULT",
  identityAttack: "IDENTITY_ATTACK",
  threat: "THREAT",
  profanity: "PROFANITY",
};
const PROVIDES = Object.keys(PERSPECTIVE_ATTRIBUTE) as ScoreCategory[];

export function perspectiveScorer(options: PerspectiveOptions): ExternalScorer {
  const url = endpoint(options.baseUrl, options.path ?? "/v1alpha1/comments:analyze");
  if (options.apiKey) url.searchParams.set("key", options.apiKey);
  const timeoutMs = options.timeoutMs ?? 800;
  return {
    name: "perspective",
    version: "v1alpha1",
    provides: PROVIDES,
    async score(text: string, context?: ScoreContext): Promise<ScoreResult> {
      const request = {
        comment: { text, type: "PLAIN_TEXT" },
        ...(context?.language ? { languages: [context.language] } : {}),
        requestedAttributes: Object.fromEntries(PROVIDES.map((c) => [PERSPECTIVE_ATTRIBUTE[c], {}])),
        spanAnnotations: true,
        doNotStore: true,
      };
      const answer = await postJson(url, request, {}, timeoutMs);
      const attributes = isRecord(answer) ? answer.attributeScores : undefined;
      if (!isRecord(attributes)) throw new ScorerError("answer has no attributeScores", "response");
      const scores = { toxicity: 0, insult: 0, identityAttack: 0, threat: 0, profanity: 0, spam: 0 };
      const spans: ScoreSpan[] = [];
      for (const category of PROVIDES) {
        const attribute = attributes[PERSPECTIVE_ATTRIBUTE[category]!];
        const value = isRecord(attribute) && isRecord(attribute.summaryScore) ? probability(attribute.summaryScore.value) : undefined;
        if (value === undefined) throw new ScorerError(`answer has no summary score for ${PERSPECTIVE_ATTRIBUTE[category]}`, "response");
        scores[category] = value;
        if (isRecord(attribute) && Array.isArray(attribute.spanScores)) spans.push(...spansOf(attribute.spanScores, category, text.length));
      }
      return { scores, spans, scorer: { name: "perspective", version: "v1alpha1" } };
    },
  };
}

/** Perspective's per-part scores (UTF-16 offsets, like Parley's) that lean toward the category. */
function spansOf(spanScores: unknown[], category: ScoreCategory, length: number): ScoreSpan[] {
  const out: ScoreSpan[] = [];
  for (const s of spanScores) {
    if (!isRecord(s) || !isRecord(s.score)) continue;
    const weight = probability(s.score.value);
    const start = typeof s.begin === "number" ? s.begin : 0;
    const end = typeof s.end === "number" ? s.end : length;
    if (weight === undefined || weight < 0.5 || !(start >= 0 && start < end && end <= length)) continue;
    out.push({ category, start, end, weight });
  }
  return out;
}
