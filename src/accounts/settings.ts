import { type Static, Type } from "typebox";
import { Value } from "typebox/value";
import type { Deps } from "../deps.js";
import { validationFailed } from "../errors.js";
import { DEFAULT_SITE_ID, forgetSites, listSites } from "../site/service.js";
import { saveSiteSettings } from "../site/store.js";
import { AbuseLimitsSchema, DEFAULT_ABUSE_LIMITS, type AbuseLimits } from "./limits.js";

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
        loginUrl: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000, pattern: "^https?://[^\\s]+$" })])),
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
    entitlementClaim: Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9_:./-]+$" })]),
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

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  sso: { secrets: [], jwksUrl: null, allowRoles: false, loginUrl: null },
  requireVerifiedEmail: false,
  deletion: "anonymize",
  gravatar: false,
  entitlementClaim: "entitlements",
  limits: DEFAULT_ABUSE_LIMITS,
};

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function merge(base: unknown, patch: unknown): unknown {
  if (!isPlain(base) || !isPlain(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    out[key] = merge(out[key], value);
  }
  return out;
}

export async function accountSettings(deps: Deps, siteId: string): Promise<AccountSettings> {
  const site = (await listSites(deps)).find((s) => s.id === siteId);
  return merge(DEFAULT_ACCOUNT_SETTINGS, site?.settings.accounts) as AccountSettings;
}

/** Secrets leave the server masked: the key id, the length and the last four characters. */
export function maskSettings(settings: AccountSettings) {
  return {
    ...settings,
    sso: {
      ...settings.sso,
      secrets: settings.sso.secrets.map((s) => ({ kid: s.kid, secret: `${"•".repeat(8)}${s.secret.slice(-4)} (${s.secret.length} chars)` })),
    },
  };
}

/**
 * Applies a partial change. `sso.secrets` is replaced as a list; an entry with a `kid`
 * and no `secret` keeps the stored secret of that kid, so admins never re-send secrets.
 */
export async function changeAccountSettings(deps: Deps, siteId: string, patch: Record<string, unknown>) {
  const before = await accountSettings(deps, siteId);
  const ssoPatch = isPlain(patch.sso) ? patch.sso : undefined;
  if (ssoPatch && Array.isArray(ssoPatch.secrets)) {
    ssoPatch.secrets = ssoPatch.secrets.map((entry: unknown) => {
      if (isPlain(entry) && entry.secret === undefined && typeof entry.kid === "string") {
        const kept = before.sso.secrets.find((s) => s.kid === entry.kid);
        if (!kept) throw validationFailed(`No stored secret with kid "${entry.kid.slice(0, 64)}" to keep.`);
        return kept;
      }
      return entry;
    });
  }
  const after = merge(before, patch);
  if (!Value.Check(AccountSettingsSchema, after)) {
    const first = [...Value.Errors(AccountSettingsSchema, after)][0];
    throw validationFailed(`Invalid setting ${first?.instancePath || "(root)"}: ${first?.message ?? "bad value"}.`, {
      path: first?.instancePath,
    });
  }
  const kids = after.sso.secrets.map((s) => s.kid);
  if (new Set(kids).size !== kids.length) throw validationFailed("Each SSO secret needs its own kid.");
  const site = (await listSites(deps)).find((s) => s.id === siteId);
  await saveSiteSettings(deps.store.db, siteId, { ...(site?.settings ?? {}), accounts: after });
  forgetSites();
  return { before, after };
}

/** The installation's abuse limits (the default site's). */
export async function abuseLimits(deps: Deps): Promise<AbuseLimits> {
  return (await accountSettings(deps, DEFAULT_SITE_ID)).limits;
}
