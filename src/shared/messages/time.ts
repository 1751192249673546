const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Infinity],
];

// Building an Intl formatter costs far more than using one; a thread formats hundreds of times.
const relative = new Map<string, Intl.RelativeTimeFormat>();
const exact = new Map<string, Intl.DateTimeFormat>();

/** "3 hours ago" in the reader's language; the server and the widget use the same rules. */
export function relativeTime(iso: string, now: number, lang: string): string {
  let format = relative.get(lang);
  if (!format) relative.set(lang, (format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" })));
  let value = (Date.parse(iso) - now) / 1000;
  if (Math.abs(value) < 45) return format.format(0, "second");
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return iso;
}

/** The exact time, shown on hover and read by screen readers on demand. */
export function exactTime(iso: string, lang: string): string {
  let format = exact.get(lang);
  if (!format) exact.set(lang, (format = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" })));
  return format.format(new Date(iso));
}
