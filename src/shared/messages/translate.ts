import type { MessageKey, Messages } from "./en.js";

export type { MessageKey, Messages };
export type Lang = "en" | "de";

/** The catalog language for a BCP 47 tag: its primary subtag when Parley has it, English otherwise. */
export function pickLang(tag: string | null | undefined): Lang {
  const primary = (tag ?? "").toLowerCase().split(/[-_]/)[0];
  return primary === "de" ? "de" : "en";
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * A translator for one language from its catalog; plural keys need a numeric `n`. Kept apart
 * from the catalogs, so the widget ships English alone and fetches another language's catalog.
 */
export function translate(lang: Lang, catalog: Messages): Translate {
  const plural = new Intl.PluralRules(lang);
  return (key, values = {}) => {
    const entry = catalog[key];
    const text =
      typeof entry === "string" ? entry : entry[plural.select(Number(values.n ?? 0)) === "one" ? "one" : "other"];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
  };
}
