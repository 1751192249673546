/** Weekdays and clock times in an IANA time zone, for pre-moderation windows (the night shift). */

export interface Window {
  /** Days the window starts on, 0 = Sunday … 6 = Saturday (as in JavaScript). */
  days: number[];
  /** "HH:MM", 24-hour, local to `timeZone`. A window whose end is not after its start runs past midnight. */
  from: string;
  to: string;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA zone name ("Europe/Berlin", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The weekday (0 = Sunday) and minutes past midnight at `at` in `timeZone`: DST included. */
export function localTime(at: number, timeZone: string): { day: number; minutes: number } {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: WEEKDAYS.indexOf(part("weekday")), minutes: Number(part("hour")) * 60 + Number(part("minute")) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `at` falls in the window. A window belongs to the day it starts on: Friday 22:00–06:00
 * covers Friday night and Saturday until six. From equal to to covers the whole day.
 */
export function inWindow(window: Window, at: number): boolean {
  const { day, minutes } = localTime(at, window.timeZone);
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (from < to) return window.days.includes(day) && minutes >= from && minutes < to;
  if (from === to) return window.days.includes(day);
  const yesterday = (day + 6) % 7;
  return (window.days.includes(day) && minutes >= from) || (window.days.includes(yesterday) && minutes < to);
}
