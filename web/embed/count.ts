/**
 * count.js: fills every element marked `data-parley-count` with its story's comment count,
 * in one request. The attribute holds the story URL; when empty, the element's own link
 * (an `<a href>`) or the page's canonical URL is used.
 */
import { countsUrl } from "../shared/endpoints.js";
const script = document.currentScript as HTMLScriptElement | null;
const base = new URL(script?.src || "/count.js", location.href).origin;
const LABELS: Record<string, [string, string]> = { en: ["comment", "comments"], de: ["Kommentar", "Kommentare"] };

function urlOf(el: HTMLElement): string {
  const given = el.dataset.parleyCount;
  if (given) return new URL(given, location.href).href;
  const link = el.closest("a")?.href;
  if (link) return link.split("#")[0];
  return document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href ?? location.href.split("#")[0];
}

async function fill(): Promise<void> {
  const els = [...document.querySelectorAll<HTMLElement>("[data-parley-count]")];
  if (els.length === 0) return;
  const urls = [...new Set(els.map(urlOf))];
  const res = await fetch(countsUrl(base, urls));
  if (!res.ok) return;
  const { counts } = (await res.json()) as { counts: Record<string, number> };
  const lang = (document.documentElement.lang || "en").slice(0, 2).toLowerCase();
  const [one, other] = LABELS[lang] ?? LABELS.en;
  for (const el of els) {
    const n = counts[urlOf(el)] ?? 0;
    el.textContent = el.hasAttribute("data-parley-number") ? String(n) : `${n.toLocaleString(lang)} ${n === 1 ? one : other}`;
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => void fill());
else void fill();
