import type { Deps } from "../deps.js";
import type { SiteRow } from "../store/schema.js";
import { broadcast, onBroadcast } from "../workers.js";
import * as store from "./store.js";

export interface Site {
  id: string;
  name: string;
  origins: string[];
  settings: Record<string, unknown>;
}

export const DEFAULT_SITE_ID = "default";
const CACHE_MS = 5_000;

function toSite(row: SiteRow): Site {
  return {
    id: row.id,
    name: row.name,
    origins: JSON.parse(row.origins) as string[],
    settings: JSON.parse(row.settings) as Record<string, unknown>,
  };
}

let cache: { at: number; sites: Site[]; store: unknown } | undefined;
/** Moves whenever the sites are forgotten: a list read meanwhile may be older than the change, and is not kept. */
let generation = 0;

export async function listSites(deps: Deps): Promise<Site[]> {
  const now = deps.clock.now();
  if (cache && cache.store === deps.store && now - cache.at < CACHE_MS) return cache.sites;
  const before = generation;
  const rows = await store.allSites(deps.store.read);
  const sites = rows.map(toSite);
  if (generation === before) cache = { at: now, sites, store: deps.store };
  return sites;
}

function forgetHere(): void {
  cache = undefined;
  generation += 1;
}

/**
 * Forgets the cached sites and their settings after a change, here and in every sibling
 * worker (PARLEY_WORKERS): a setting saved through one worker holds on the next request,
 * whichever worker takes it. Separate servers still see it within CACHE_MS.
 */
export function forgetSites(): void {
  forgetHere();
  broadcast("forget", "sites");
}

onBroadcast("forget", (what) => {
  if (what === "sites") forgetHere();
});

/** The site that may embed threads on this origin, if any. */
export async function siteForOrigin(deps: Deps, origin: string): Promise<Site | undefined> {
  return (await listSites(deps)).find((site) => site.origins.includes(origin));
}

export async function isAllowedOrigin(deps: Deps, origin: string): Promise<boolean> {
  return origin === deps.config.publicUrl || (await siteForOrigin(deps, origin)) !== undefined;
}

/** The site a story or a comment belongs to; undefined when there is no such row. */
export async function siteIdOf(deps: Deps, target: { story: string } | { comment: string }): Promise<string | undefined> {
  return store.siteIdOf(deps.store.read, target);
}

/** Whether a page on `origin` may write to a site's stories: one of the site's own origins, or Parley's. */
export async function originWritesTo(deps: Deps, origin: string, siteId: string): Promise<boolean> {
  if (origin === deps.config.publicUrl) return true;
  const site = (await listSites(deps)).find((s) => s.id === siteId);
  return site !== undefined && site.origins.includes(origin);
}

/**
 * Makes sure the default site exists and allows Parley's own origin and the origins
 * named in PARLEY_ALLOWED_ORIGINS (added, never removed: admins manage the rest).
 */
export async function ensureDefaultSite(deps: Deps): Promise<Site> {
  const wanted = [deps.config.publicUrl, ...deps.config.allowedOrigins];
  const row = await store.findSite(deps.store.db, DEFAULT_SITE_ID);
  if (!row) {
    await store.insertSiteOnce(deps.store.db, {
      id: DEFAULT_SITE_ID,
      name: "Default site",
      origins: [...new Set(wanted)],
      now: deps.clock.now(),
    });
  } else {
    const site = toSite(row);
    const merged = [...new Set([...site.origins, ...wanted])];
    if (merged.length !== site.origins.length) {
      await store.setSiteOrigins(deps.store.db, DEFAULT_SITE_ID, merged);
    }
  }
  forgetSites();
  const site = (await listSites(deps)).find((s) => s.id === DEFAULT_SITE_ID);
  if (!site) throw new Error("the default site could not be created");
  return site;
}
