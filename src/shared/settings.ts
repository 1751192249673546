import { type Static, Type } from "typebox";

/**
 * A site's settings as the admin API reads and writes them: the server validates with these
 * schemas, the desk's settings forms are typed from them.
 */

const Count = (max: number, description: string) => Type.Integer({ minimum: 1, maximum: max, description });

/**
 * The limits that keep sign-in, sign-up and account mail from being abused, installation-wide
 * (the default site's `accounts.limits`). The defaults are what a careful newsroom would set.
 */
export const AbuseLimitsSchema = Type.Object(
  {
    loginFailuresPerAddress: Count(
      100,
      "Failed sign-ins from one address in 15 minutes, to any accounts; then that address waits.",
    ),
    loginAttemptsPerAccount: Count(
      1000,
      "Sign-in attempts to one account per minute from addresses that never signed in to it; twice as many per 15 minutes, four times per hour, eight times per day. Addresses the owner signed in from are not counted here.",
    ),
    signInsPerAccountPerHour: Count(1000, "Successful sign-ins to one account in an hour."),
    signupsPerAddressPerHour: Count(10_000, "Accounts one address may create in an hour."),
    signupsPerDomainPerHour: Count(100_000, "Accounts with e-mail addresses of one domain created in an hour."),
    accountMailsPerAddressPerHour: Count(
      100,
      "Verification and 'you already have an account' mails to one e-mail address in an hour.",
    ),
    storiesPerAddressPerHour: Count(
      100_000,
      "New stories (threads) one address may create by embedding pages in an hour.",
    ),
  },
  { additionalProperties: false },
);
export type AbuseLimits = Static<typeof AbuseLimitsSchema>;

const Secret = Type.Object(
  {
    kid: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" }),
    secret: Type.String({ minLength: 32, maxLength: 512, description: "HS256 key; at least 32 characters." }),
  },
  { additionalProperties: false },
);

/** A site's account settings (`settings.accounts` in the site's JSON). */
export const AccountSettingsSchema = Type.Object(
  {
    sso: Type.Object(
      {
        /** Several at once, so a publisher can rotate: add the new one, switch, drop the old one. */
        secrets: Type.Array(Secret, { maxItems: 10 }),
        jwksUrl: Type.Union([Type.Null(), Type.String({ maxLength: 2000, pattern: "^https?://" })]),
        /** Whether a token's `role` claim may make its user staff or a moderator of this site. */
        allowRoles: Type.Boolean(),
        /**
         * The publisher's own sign-in page, for moderators signing in to the desk with their
         * publisher account: it returns to Parley's `/auth/popup#sso=<jwt>` (docs/ACCOUNTS.md).
         */
        loginUrl: Type.Optional(
          Type.Union([Type.Null(), Type.String({ maxLength: 2000, pattern: "^https?://[^\\s]+$" })]),
        ),
      },
      { additionalProperties: false },
    ),
    /** Posting needs a verified e-mail (local accounts only; SSO and OIDC vouch for theirs). */
    requireVerifiedEmail: Type.Boolean(),
    /** What happens to a deleted account's comments on this site. */
    deletion: Type.Union([Type.Literal("remove"), Type.Literal("anonymize")]),
    gravatar: Type.Boolean(),
    /**
     * The claim of an SSO token or OIDC ID token that lists the reader's entitlements (a string or
     * a list, e.g. ["subscriber"]); mapped to the user at every sign-in, dropped when absent. Null:
     * none are read. For OIDC the default site's setting counts (providers serve the installation).
     */
    entitlementClaim: Type.Union([
      Type.Null(),
      Type.String({ minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9_:./-]+$" }),
    ]),
    /** Sign-in, sign-up, account-mail and story-creation limits; read from the default site, for the whole installation. */
    limits: AbuseLimitsSchema,
  },
  { additionalProperties: false },
);

export type AccountSettings = Static<typeof AccountSettingsSchema>;

/** The settings as they leave the server (`maskSettings`): each secret shown only by its end. */
export const MaskedAccountSettingsSchema = Type.Object(
  {
    ...AccountSettingsSchema.properties,
    sso: Type.Object({
      ...AccountSettingsSchema.properties.sso.properties,
      secrets: Type.Array(
        Type.Object({
          kid: Type.String(),
          secret: Type.String({ description: "Masked: the last four characters and the length, never the key." }),
        }),
      ),
    }),
  },
  { description: "The site's account settings; SSO secrets masked." },
);

export type MaskedAccountSettings = Static<typeof MaskedAccountSettingsSchema>;

/** What a site's admins allow to be mailed at all (readers choose within it). */
export const SiteNotificationSettingsSchema = Type.Object(
  {
    emails: Type.Object(
      { replies: Type.Boolean(), mentions: Type.Boolean(), moderation: Type.Boolean(), follows: Type.Boolean() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type SiteNotificationSettings = Static<typeof SiteNotificationSettingsSchema>;
