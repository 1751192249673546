/**
 * Which scorer a site uses: the local model (the default) or an external service with the
 * local model as its fallback. Stored in the site's moderation settings as `scorer`.
 */
import { type Static, Type } from "typebox";

const BaseUrl = Type.String({ format: "uri", pattern: "^https?://", maxLength: 2000 });
const ApiKey = Type.String({ minLength: 1, maxLength: 500 });
const TimeoutMs = Type.Integer({ minimum: 50, maximum: 10_000, description: "Per call; 800 when not set." });
const FailOpen = Type.Boolean({
  description: "true (default): when the service fails, the local model's scores decide. false: the comment is held for a moderator.",
});

// Variants do not forbid extra fields: the settings are merged field by field, so a site
// that switches from "openai" back to "local" keeps the old fields, unused.
export const ScorerSettingsSchema = Type.Union([
  Type.Object({ kind: Type.Literal("local") }),
  Type.Object({
    kind: Type.Literal("openai"),
    baseUrl: BaseUrl,
    apiKey: Type.Optional(ApiKey),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timeoutMs: Type.Optional(TimeoutMs),
    failOpen: Type.Optional(FailOpen),
  }),
  Type.Object({
    kind: Type.Literal("perspective"),
    baseUrl: BaseUrl,
    apiKey: Type.Optional(ApiKey),
    path: Type.Optional(Type.String({ pattern: "^/[A-Za-z0-9/:._-]*$", maxLength: 200 })),
    timeoutMs: Type.Optional(TimeoutMs),
    failOpen: Type.Optional(FailOpen),
  }),
]);

export type ScorerSettings = Static<typeof ScorerSettingsSchema>;

export const DEFAULT_SCORER_SETTINGS: ScorerSettings = { kind: "local" };
export const DEFAULT_TIMEOUT_MS = 800;
