/**
 * The reader-facing strings and time formats, shared with the server-rendered thread. The
 * widget carries English; another language's catalog is a content-named JSON file, fetched once.
 */
import { en } from "../../src/shared/messages/en.js";
import type { Lang, Messages } from "../../src/shared/messages/translate.js";

export * from "../../src/shared/messages/translate.js";
export { exactTime, relativeTime } from "../../src/shared/messages/time.js";

/** Language → the catalog's public path, written in by scripts/build-web.mjs. */
declare const __PARLEY_CATALOGS__: Partial<Record<Lang, string>>;

const catalogs: Partial<Record<Lang, Promise<Messages>>> = { en: Promise.resolve(en) };

/** A language's catalog from Parley's server; English when it cannot be had (and tried again next time). */
export function loadCatalog(base: string, lang: Lang): Promise<Messages> {
  return (catalogs[lang] ??= fetch(base + __PARLEY_CATALOGS__[lang])
    .then((res) => (res.ok ? (res.json() as Promise<Messages>) : Promise.reject(res)))
    .catch(() => {
      delete catalogs[lang];
      return en;
    }));
}
