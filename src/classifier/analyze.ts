/**
 * Parley as a Perspective replacement: the `comments:analyze` request and response shapes,
 * answered from the local model, so tools built on Perspective switch by changing a URL.
 */
import { type Static, Type } from "typebox";
import { validationFailed } from "../errors.js";
import { scoreSentences, scoreSync } from "./index.js";
import type { ScoreCategory } from "./types.js";

export const ATTRIBUTES = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT", "SPAM"] as const;
type Attribute = (typeof ATTRIBUTES)[number];

/**
 * SEVERE_TOXICITY is not trained separately: a comment is severely toxic when it is toxic
 * and also insulting, hateful, threatening or profane, so the product of the two is used.
 * SPAM is Parley's own (Perspective retired its experimental one).
 */
function attributeScore(attribute: Attribute, s: Record<ScoreCategory, number>): number {
  switch (attribute) {
    case "TOXICITY":
      return s.toxicity;
    case "SEVERE_TOXICITY":
      return s.toxicity * Math.max(s.insult, s.identityAttack, s.threat, s.profanity);
    case "IDENTITY_ATTACK":
      return s.identityAttack;
    case "INSULT":
      return s.insult;
    case "PROFANITY":
      return s.profanity;
    case "THREAT":
      return s.threat;
    case "SPAM":
      return s.spam;
  }
}

const Probability = Type.Number({ minimum: 0, maximum: 1 });

export const AnalyzeRequestSchema = Type.Object({
  comment: Type.Object({
    text: Type.String({ minLength: 1, maxLength: 20_480 }),
    type: Type.Optional(Type.Literal("PLAIN_TEXT", { description: "Only plain text is scored." })),
  }),
  requestedAttributes: Type.Record(
    Type.String(),
    Type.Object({ scoreType: Type.Optional(Type.Literal("PROBABILITY")), scoreThreshold: Type.Optional(Probability) }),
    { description: `Any of ${ATTRIBUTES.join(", ")}; {} asks for the defaults.` },
  ),
  languages: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 10 })),
  spanAnnotations: Type.Optional(Type.Boolean({ description: "Also score each sentence." })),
  doNotStore: Type.Optional(Type.Boolean({ description: "Accepted; Parley never stores analysed text." })),
  clientToken: Type.Optional(Type.String({ maxLength: 200 })),
  sessionId: Type.Optional(Type.String({ maxLength: 200 })),
  communityId: Type.Optional(Type.String({ maxLength: 200 })),
  context: Type.Optional(
    Type.Object(
      {
        entries: Type.Optional(
          Type.Array(
            Type.Object(
              {
                text: Type.String({ maxLength: 20_480 }),
                type: Type.Optional(Type.Literal("PLAIN_TEXT")),
              },
              { additionalProperties: false },
            ),
            { maxItems: 10 },
          ),
        ),
      },
      {
        additionalProperties: false,
        description: "What the comment answers (Perspective's context.entries): the parent comment, or the article's title.",
      },
    ),
  ),
});
export type AnalyzeRequest = Static<typeof AnalyzeRequestSchema>;

const Score = Type.Object({ value: Probability, type: Type.Literal("PROBABILITY") });
export const AnalyzeResponseSchema = Type.Object({
  attributeScores: Type.Record(
    Type.String(),
    Type.Object({
      summaryScore: Score,
      spanScores: Type.Optional(Type.Array(Type.Object({ begin: Type.Integer(), end: Type.Integer(), score: Score }))),
    }),
  ),
  languages: Type.Array(Type.String()),
  clientToken: Type.Optional(Type.String()),
});
export type AnalyzeResponse = Static<typeof AnalyzeResponseSchema>;

const isAttribute = (name: string): name is Attribute => (ATTRIBUTES as readonly string[]).includes(name);

export function analyze(request: AnalyzeRequest): AnalyzeResponse {
  const names = Object.keys(request.requestedAttributes);
  if (names.length === 0) throw validationFailed("Ask for at least one attribute in requestedAttributes.", { supported: [...ATTRIBUTES] });
  const unknown = names.filter((n) => !isAttribute(n));
  if (unknown.length > 0) {
    throw validationFailed(`Unknown attribute ${unknown[0]}; Parley scores ${ATTRIBUTES.join(", ")}.`, { attributes: unknown, supported: [...ATTRIBUTES] });
  }
  if (request.languages?.length && !request.languages.some((l) => /^en(?:[-_]|$)/i.test(l))) {
    throw validationFailed("Parley's local model scores English text only; send languages: [\"en\"] or leave it out.", { languages: request.languages });
  }
  const text = request.comment.text;
  const entries = (request.context?.entries ?? []).map((e) => e.text).filter((t) => t.trim());
  const whole = scoreSync(text, entries.length ? { parentText: entries.join("\n") } : undefined).scores;
  const sentences = request.spanAnnotations ? scoreSentences(text) : [];
  const attributeScores: AnalyzeResponse["attributeScores"] = {};
  for (const name of names as Attribute[]) {
    const value = attributeScore(name, whole);
    const threshold = request.requestedAttributes[name].scoreThreshold;
    if (threshold !== undefined && value < threshold) continue;
    attributeScores[name] = {
      summaryScore: { value, type: "PROBABILITY" },
      ...(request.spanAnnotations
        ? { spanScores: sentences.map((s) => ({ begin: s.start, end: s.end, score: { value: attributeScore(name, s.scores), type: "PROBABILITY" as const } })) }
        : {}),
    };
  }
  return { attributeScores, languages: ["en"], ...(request.clientToken !== undefined ? { clientToken: request.clientToken } : {}) };
}
