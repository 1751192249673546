import { de } from "./de.js";
import { en } from "./en.js";
import { type Lang, type Messages, type Translate, translate } from "./translate.js";

export * from "./translate.js";
export const CATALOGS: Record<Lang, Messages> = { en, de };

/** A translator for one language, with every catalog at hand (the server's side). */
export const translator = (lang: Lang): Translate => translate(lang, CATALOGS[lang]);
