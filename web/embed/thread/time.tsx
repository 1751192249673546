import { useEffect, useState } from "preact/hooks";
import { exactTime, relativeTime } from "../../shared/messages.js";

/**
 * Below an hour the labels count minutes, so a tick every 30 s keeps them at most half a
 * minute behind. One timer serves every time on the page; it runs only while one is shown.
 */
const TICK_MS = 30_000;
const listeners = new Set<(now: number) => void>();
let timer = 0;

function subscribe(listener: (now: number) => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = window.setInterval(() => {
      const now = Date.now();
      for (const l of listeners) l(now);
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = 0;
    }
  };
}

/**
 * "3 minutes ago", kept current while the page stays open, with the exact time on hover.
 * A tick re-renders only the labels whose text changed, never the comments around them.
 */
export function RelativeTime({ iso, lang }: { iso: string; lang: string }) {
  const [label, setLabel] = useState(() => relativeTime(iso, Date.now(), lang));
  useEffect(() => {
    const show = (now: number) => setLabel(relativeTime(iso, now, lang));
    show(Date.now());
    return subscribe(show);
  }, [iso, lang]);
  return (
    <time dateTime={iso} title={exactTime(iso, lang)}>
      {label}
    </time>
  );
}
