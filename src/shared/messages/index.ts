import { de } from "./de.js";
import { type MessageKey, type Messages, en } from "./en.js";

export type { MessageKey, Messages };
export const CATALOGS: Record<string, Messages> = { en, de };
export type Lang = "en" | "de";

/** The catalog language for a BCP 47 tag: its primary subtag when Parley has it, English otherwise. */
export function pickLang(tag: string | null | undefined): Lang {
  const primary = (tag ?? "").toLowerCase().split(/[-_]/)[0];
  return primary === "de" ? "de" : "en";
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** A translator for one language; plural keys need a numeric `n`. */
export function translator(lang: Lang): Translate {
  const catalog = CATALOGS[lang];
  const plural = new Intl.PluralRules(lang);
  return (key, values = {}) => {
    const entry = catalog[key];
    const text = typeof entry === "string" ? entry : entry[plural.select(Number(values.n ?? 0)) === "one" ? "one" : "other"];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
  };
}
