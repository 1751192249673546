import { type Static, Type } from "typebox";

const Clock = Type.String({ pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$", description: '"HH:MM", 24-hour' });

export const PremodWindowSchema = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), {
      minItems: 1,
      maxItems: 7,
      description: "Days the window starts on, 0 = Sunday … 6 = Saturday.",
    }),
    from: Clock,
    to: Type.String({ ...Clock, description: '"HH:MM"; not after `from`: the window runs past midnight.' }),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. "Europe/Berlin".' }),
  },
  { additionalProperties: false },
);

export const CommentingSchema = Type.Union([Type.Literal("everyone"), Type.Literal("registered"), Type.Literal("subscribers")], {
  description:
    "everyone: any signed-in reader; registered: an account with a verified e-mail or from the publisher's sign-in (SSO, OIDC); subscribers: readers whose sign-in carries the `subscriber` entitlement.",
});

const CloseAfterDays = Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 3650 })], {
  description: "Days after the story's publishedAt (else its first appearance) when new comments stop; null: never.",
});

const Threshold = Type.Number({ minimum: 0, maximum: 1 });
const SectionThresholds = Type.Object(
  {
    toxicity: Type.Optional(Threshold),
    insult: Type.Optional(Threshold),
    identityAttack: Type.Optional(Threshold),
    threat: Type.Optional(Threshold),
    profanity: Type.Optional(Threshold),
    spam: Type.Optional(Threshold),
  },
  { additionalProperties: false },
);

export const SectionPolicySchema = Type.Object(
  {
    closeAfterDays: Type.Optional(CloseAfterDays),
    premod: Type.Optional(Type.Boolean({ description: "Every comment in the section is held for review." })),
    premodWindows: Type.Optional(Type.Array(PremodWindowSchema, { maxItems: 50 })),
    thresholds: Type.Optional(SectionThresholds),
    holdThresholds: Type.Optional(SectionThresholds),
    commenting: Type.Optional(CommentingSchema),
  },
  { additionalProperties: false },
);

/** A site's newsroom policy (`moderation.policy`); a section's settings win over these, a story's own over both. */
export const PolicySchema = Type.Object(
  {
    closeAfterDays: CloseAfterDays,
    premodWindows: Type.Array(PremodWindowSchema, {
      maxItems: 50,
      description: "While one is open, new comments are held for review (the night shift).",
    }),
    sections: Type.Record(Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,63}$" }), SectionPolicySchema, {
      description: "Per section (lower case); a section set to null is removed.",
    }),
    commenting: CommentingSchema,
    subscribeUrl: Type.Union([Type.Null(), Type.String({ maxLength: 2000, pattern: "^https?://[^\\s]+$" })], {
      description: "The publisher's subscription page, linked from a subscribers-only thread.",
    }),
  },
  { additionalProperties: false },
);

export type Policy = Static<typeof PolicySchema>;
export type SectionPolicy = Static<typeof SectionPolicySchema>;
export type PremodWindow = Static<typeof PremodWindowSchema>;

export const DEFAULT_POLICY: Policy = {
  closeAfterDays: null,
  premodWindows: [],
  sections: {},
  commenting: "everyone",
  subscribeUrl: null,
};

/** A section as stories and policies key it: lower case, words joined by hyphens; null when nothing is left. */
export function normaliseSection(raw: string | null | undefined): string | null {
  if (typeof raw !== "string") return null;
  const slug = raw
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|-+$/g, "")
    .slice(0, 64);
  return slug || null;
}
