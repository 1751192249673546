import type { Kysely, Transaction } from "kysely";
import { type Static, Type } from "typebox";
import { Value } from "typebox/value";
import type { Deps } from "../deps.js";
import { validationFailed } from "../errors.js";
import { type Lang, pickLang } from "../shared/messages/index.js";
import { forgetSites, listSites } from "../site/service.js";
import type { Database, MailMode } from "../store/schema.js";

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
  const row = await db.selectFrom("notification_prefs").selectAll().where("user_id", "=", userId).executeTakeFirst();
  if (!row) return { ...DEFAULT_PREFS, lang: fallbackLang ?? DEFAULT_PREFS.lang };
  return { replies: row.replies, mentions: row.mentions, moderation: row.moderation === 1, lang: pickLang(row.lang) };
}

export async function writePrefs(db: Reader, deps: Deps, userId: string, patch: Partial<Prefs>): Promise<Prefs> {
  const prefs = { ...(await readPrefs(db, userId)), ...patch };
  const values = {
    replies: prefs.replies as MailMode,
    mentions: prefs.mentions as MailMode,
    moderation: prefs.moderation ? 1 : 0,
    lang: prefs.lang,
    updated_at: deps.clock.now(),
  };
  await db
    .insertInto("notification_prefs")
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
    .execute();
  return prefs;
}

export { SiteNotificationSettingsSchema, type SiteNotificationSettings } from "../shared/settings.js";
import { SiteNotificationSettingsSchema, type SiteNotificationSettings } from "../shared/settings.js";

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
  await deps.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("sites").select("settings").where("id", "=", siteId).executeTakeFirstOrThrow();
    const settings = { ...(JSON.parse(row.settings) as Record<string, unknown>), notifications: after };
    await trx.updateTable("sites").set({ settings: JSON.stringify(settings) }).where("id", "=", siteId).execute();
  });
  forgetSites();
  return { before, after };
}
