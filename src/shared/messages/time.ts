const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Infinity],
];

/** "3 hours ago" in the reader's language; the server and the widget use the same rules. */
export function relativeTime(iso: string, now: number, lang: string): string {
  let value = (Date.parse(iso) - now) / 1000;
  if (Math.abs(value) < 45) return new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(0, "second");
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) {
      return new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(Math.round(value), unit);
    }
    value /= size;
  }
  return iso;
}

/** The exact time, shown on hover and read by screen readers on demand. */
export function exactTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" }).format(new Date(iso));
}
