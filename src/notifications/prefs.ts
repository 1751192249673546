import type { Kysely, Transaction } from "kysely";
import { type Static, Type } from "typebox";
import { Value } from "typebox/value";
import type { Deps } from "../deps.js";
import { validationFailed } from "../errors.js";
import { type Lang, pickLang } from "../shared/messages/index.js";
import { forgetSites, listSites } from "../site/service.js";
import type { Database } from "../store/schema.js";
import { prefsOf, savePrefs, setSiteSetting } from "./store.js";

type Reader = Kysely<Database> | Transaction<Database>;

const Mode = Type.Union([Type.Literal("off"), Type.Literal("immediate"), Type.Literal("digest")]);

/** A reader's e-mail choices. Reply and mention mails are opt-in; moderation outcomes are on until turned off. */
export const PrefsSchema = Type.Object({
  replies: Mode,
  mentions: Mode,
  moderation: Type.Boolean(),
  lang: Type.Union([Type.Literal("en"), Type.Literal("de")]),
});
export type Prefs = Static<typeof PrefsSchema>;

export const DEFAULT_PREFS: Prefs = { replies: "off", mentions: "off", moderation: true, lang: "en" };

export async function readPrefs(db: Reader, userId: string, fallbackLang?: Lang): Promise<Prefs> {
  const stored = await prefsOf(db, userId);
  if (!stored) return { ...DEFAULT_PREFS, lang: fallbackLang ?? DEFAULT_PREFS.lang };
  return { ...stored, lang: pickLang(stored.lang) };
}

export async function writePrefs(db: Reader, deps: Deps, userId: string, patch: Partial<Prefs>): Promise<Prefs> {
  const prefs = { ...(await readPrefs(db, userId)), ...patch };
  await savePrefs(db, userId, { ...prefs, now: deps.clock.now() });
  return prefs;
}

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

export const DEFAULT_SITE_NOTIFICATIONS: SiteNotificationSettings = {
  emails: { replies: true, mentions: true, moderation: true, follows: true },
};

export async function siteNotificationSettings(deps: Deps, siteId: string | null): Promise<SiteNotificationSettings> {
  const site = (await listSites(deps)).find((s) => s.id === siteId);
  const stored = (site?.settings.notifications ?? {}) as Partial<SiteNotificationSettings>;
  return { emails: { ...DEFAULT_SITE_NOTIFICATIONS.emails, ...(stored.emails ?? {}) } };
}

/** Validates the whole result and stores it under `notifications`, leaving every other key of the row as it is. */
export async function changeSiteNotificationSettings(deps: Deps, siteId: string, patch: Partial<SiteNotificationSettings>) {
  const before = await siteNotificationSettings(deps, siteId);
  const after = { emails: { ...before.emails, ...(patch.emails ?? {}) } };
  if (!Value.Check(SiteNotificationSettingsSchema, after)) throw validationFailed("Invalid notification settings.");
  await setSiteSetting(deps.store.db, siteId, "notifications", after);
  forgetSites();
  return { before, after };
}
