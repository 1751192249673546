import { type Static, Type } from "typebox";
import { Value } from "typebox/value";
import type { Deps } from "../deps.js";
import { validationFailed } from "../errors.js";
import { checkWebhookUrl } from "../outbound/webhook-target.js";
import { DEFAULT_SITE_ID, forgetSites, listSites } from "../site/service.js";
import { saveSiteSettings } from "../site/store.js";
import { DEFAULT_SCORER_SETTINGS, ScorerSettingsSchema } from "../classifier/settings.js";
import { DEFAULT_HOLD_THRESHOLDS, DEFAULT_THRESHOLDS } from "../classifier/index.js";
import { DEFAULT_POLICY, PolicySchema } from "../policy/schema.js";
import { isTimeZone } from "../policy/schedule.js";

const Word = Type.String({ minLength: 1, maxLength: 64, pattern: "^[\\p{L}\\p{N}' -]+$" });
const Threshold = Type.Number({ minimum: 0, maximum: 1 });

/** A site's moderation settings: what the pipeline reads, what admins edit. */
export const ModerationSettingsSchema = Type.Object(
  {
    bannedWords: Type.Array(Word, { maxItems: 5000, description: "Refused outright (400 BANNED_WORD)." }),
    suspectWords: Type.Union([Type.Literal("default"), Type.Array(Word, { maxItems: 5000 })], {
      description: '"default" is obscenity\'s English set; a list replaces it.',
    }),
    thresholds: Type.Object(
      {
        toxicity: Threshold,
        insult: Threshold,
        identityAttack: Threshold,
        threat: Threshold,
        profanity: Threshold,
        spam: Threshold,
      },
      { description: "Calibrated probabilities; at or above, the author is asked to reconsider (or, without nudge, it is held)." },
    ),
    holdThresholds: Type.Object(
      {
        toxicity: Threshold,
        insult: Threshold,
        identityAttack: Threshold,
        threat: Threshold,
        profanity: Threshold,
        spam: Threshold,
      },
      { description: "At or above, the comment is held for a moderator without asking its author first." },
    ),
    nudge: Type.Boolean({ description: "First submission over a threshold gets 422 NEEDS_CONFIRMATION." }),
    maxLinks: Type.Integer({ minimum: 0, maximum: 50 }),
    linkMinPublished: Type.Integer({
      minimum: 0,
      maximum: 1000,
      description: "Published comments an account needs before its links publish at once.",
    }),
    blockedDomains: Type.Array(Type.String({ minLength: 3, maxLength: 253, pattern: "^[a-z0-9.-]+$" }), {
      maxItems: 5000,
    }),
    rateLimits: Type.Object({
      enabled: Type.Boolean(),
      commentIntervalSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
      newAccountDailyComments: Type.Integer({ minimum: 0, maximum: 10000 }),
      commentsPerIpPerMinute: Type.Integer({ minimum: 0, maximum: 10000 }),
      reportsPerHour: Type.Integer({ minimum: 0, maximum: 10000 }),
      reactionsPerHour: Type.Integer({ minimum: 0, maximum: 10000 }),
      newAccountReactionsWait: Type.Boolean({
        description: "A reaction counts only once its account has a published comment (against sock puppets).",
      }),
    }),
    premod: Type.Object({
      site: Type.Boolean(),
      newAccountsUntilPublished: Type.Integer({ minimum: 0, maximum: 1000 }),
    }),
    notes: Type.Object(
      {
        minPublishedToWrite: Type.Integer({ minimum: 0, maximum: 1000 }),
        minPublishedToRate: Type.Integer({ minimum: 0, maximum: 1000 }),
      },
      { description: "Reader context notes: published comments on the site a reader needs to write one, and to rate one." },
    ),
    editWindowSeconds: Type.Union(
      [Type.Null(), Type.Integer({ minimum: 0, maximum: 7 * 24 * 3600 })],
      { description: "Seconds an author may edit a comment after posting; null: the server's PARLEY_EDIT_WINDOW_SECONDS." },
    ),
    reportThreshold: Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: "Distinct readers whose reports hold a published comment.",
    }),
    appealDays: Type.Integer({
      minimum: 14,
      maximum: 3650,
      description: "Days an author may appeal a rejection or removal (EU DSA Art. 20: at least six months for platforms).",
    }),
    duplicates: Type.Object({
      exactWindowMinutes: Type.Integer({ minimum: 0, maximum: 10080 }),
      nearWindowHours: Type.Integer({ minimum: 0, maximum: 720 }),
      nearJaccard: Type.Number({ minimum: 0.5, maximum: 1 }),
      spamAccounts: Type.Integer({ minimum: 2, maximum: 1000 }),
      spamWindowMinutes: Type.Integer({ minimum: 1, maximum: 10080 }),
    }),
    scorer: ScorerSettingsSchema,
    policy: PolicySchema,
    webhook: Type.Union([
      Type.Null(),
      Type.Object({
        url: Type.String({ format: "uri", maxLength: 2000, pattern: "^https?://", description: "http(s) only" }),
        secret: Type.String({ minLength: 16, maxLength: 200 }),
        timeoutMs: Type.Integer({ minimum: 50, maximum: 10000 }),
        failOpen: Type.Boolean(),
      }),
    ]),
  },
  { additionalProperties: false },
);

export type ModerationSettings = Static<typeof ModerationSettingsSchema>;

export const DEFAULT_MODERATION: ModerationSettings = {
  bannedWords: [],
  suspectWords: "default",
  // The lanes the training script chose on its validation split (docs/CLASSIFIER.md).
  thresholds: { ...DEFAULT_THRESHOLDS },
  holdThresholds: { ...DEFAULT_HOLD_THRESHOLDS },
  nudge: true,
  maxLinks: 2,
  linkMinPublished: 2,
  blockedDomains: [],
  rateLimits: {
    enabled: true,
    commentIntervalSeconds: 5,
    newAccountDailyComments: 10,
    commentsPerIpPerMinute: 30,
    reportsPerHour: 20,
    reactionsPerHour: 120,
    newAccountReactionsWait: true,
  },
  premod: { site: false, newAccountsUntilPublished: 0 },
  notes: { minPublishedToWrite: 3, minPublishedToRate: 1 },
  editWindowSeconds: null,
  reportThreshold: 3,
  appealDays: 183,
  duplicates: { exactWindowMinutes: 10, nearWindowHours: 24, nearJaccard: 0.8, spamAccounts: 3, spamWindowMinutes: 60 },
  scorer: DEFAULT_SCORER_SETTINGS,
  policy: DEFAULT_POLICY,
  webhook: null,
};

function merge<T>(base: T, patch: unknown): T {
  if (
    typeof base !== "object" ||
    base === null ||
    Array.isArray(base) ||
    typeof patch !== "object" ||
    patch === null ||
    Array.isArray(patch)
  ) {
    return (patch === undefined ? base : patch) as T;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(out[key], value);
  return out as T;
}

/** The effective settings of a site: its stored ones over the defaults. */
export async function moderationSettings(deps: Deps, siteId: string): Promise<ModerationSettings> {
  const site = (await listSites(deps)).find((s) => s.id === siteId);
  return merge(DEFAULT_MODERATION, site?.settings.moderation);
}

/** Applies a partial change, validates the whole result, stores it; returns before and after. */
export async function changeModerationSettings(deps: Deps, siteId: string, patch: unknown) {
  const before = await moderationSettings(deps, siteId);
  const after = withoutRemovedSections(merge(withoutNamedSections(before, patch), withoutMaskedSecrets(patch)));
  if (!Value.Check(ModerationSettingsSchema, after)) {
    const first = [...Value.Errors(ModerationSettingsSchema, after)][0];
    throw validationFailed(`Invalid setting ${first?.instancePath || "(root)"}: ${first?.message ?? "bad value"}.`, {
      path: first?.instancePath,
    });
  }
  checkTimeZones(after);
  // A new URL must not point at this machine or its private network (SSRF); one already stored
  // does not block other changes, and is checked again after DNS at every call anyway.
  if (after.webhook && after.webhook.url !== before.webhook?.url) {
    checkWebhookUrl(after.webhook.url, deps.config.webhookAllowPrivate);
  }
  const site = (await listSites(deps)).find((s) => s.id === siteId);
  const settings = { ...(site?.settings ?? {}), moderation: after };
  await saveSiteSettings(deps.store.db, siteId, settings);
  forgetSites();
  return { before, after };
}

export { DEFAULT_SITE_ID };

/**
 * A section named in a patch is replaced whole, so a field left out of it goes back to the
 * site's value (the desk's "as the site says"); other sections are kept as stored.
 */
function withoutNamedSections(settings: ModerationSettings, patch: unknown): ModerationSettings {
  const named = (patch as { policy?: { sections?: unknown } } | null)?.policy?.sections;
  if (!named || typeof named !== "object" || Array.isArray(named)) return settings;
  const kept = Object.fromEntries(Object.entries(settings.policy.sections).filter(([name]) => !(name in named)));
  return { ...settings, policy: { ...settings.policy, sections: kept } };
}

/** `sections: { name: null }` in a patch removes that section's settings. */
function withoutRemovedSections(settings: ModerationSettings): ModerationSettings {
  const sections = settings.policy?.sections;
  if (!sections || typeof sections !== "object") return settings;
  const kept = Object.fromEntries(Object.entries(sections).filter(([, value]) => value !== null));
  return { ...settings, policy: { ...settings.policy, sections: kept } };
}

/** Every pre-moderation window names a time zone this server knows; the first that does not is refused by path. */
function checkTimeZones(settings: ModerationSettings): void {
  const windows = [
    ...settings.policy.premodWindows.map((w, i) => ({ w, path: `/policy/premodWindows/${i}/timeZone` })),
    ...Object.entries(settings.policy.sections).flatMap(([name, section]) =>
      (section.premodWindows ?? []).map((w, i) => ({ w, path: `/policy/sections/${name}/premodWindows/${i}/timeZone` })),
    ),
  ];
  const bad = windows.find(({ w }) => !isTimeZone(w.timeZone));
  if (bad) {
    throw validationFailed(
      `Unknown time zone "${bad.w.timeZone.slice(0, 64)}": use an IANA name such as "Europe/Berlin" or "America/New_York".`,
      { path: bad.path },
    );
  }
}

/** How long authors of the site may edit a comment: its own setting, else the server's default. */
export function editWindowSeconds(deps: Deps, settings: ModerationSettings): number {
  return settings.editWindowSeconds ?? deps.config.editWindowSeconds;
}

// As long as the shortest secret the schema allows, so masked settings still validate.
const MASK = "*".repeat(16);

/** Settings as they leave the server or enter the audit log: secrets masked. */
export function maskSecrets(settings: ModerationSettings): ModerationSettings {
  const masked = structuredClone(settings);
  if (masked.webhook) masked.webhook.secret = MASK;
  const scorer = masked.scorer as { apiKey?: string };
  if (scorer.apiKey) scorer.apiKey = MASK;
  return masked;
}

/** A patch that sends a masked secret back unchanged keeps the stored secret. */
export function withoutMaskedSecrets(patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === MASK) continue;
    out[key] = withoutMaskedSecrets(value);
  }
  return out;
}
