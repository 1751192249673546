import { Value } from "typebox/value";
import type { Deps } from "../deps.js";
import { validationFailed } from "../errors.js";
import { DEFAULT_SITE_ID, forgetSites, listSites } from "../site/service.js";
import { saveSiteSettings } from "../site/store.js";
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from "./limits.js";

export { AccountSettingsSchema, MaskedAccountSettingsSchema, type AccountSettings } from "../shared/settings.js";
import { AccountSettingsSchema, type AccountSettings } from "../shared/settings.js";

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
