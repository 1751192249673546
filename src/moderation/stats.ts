import type { Kysely } from "kysely";
import { type SiteScope, scopeSiteIds } from "../accounts/actor.js";
import type { Deps } from "../deps.js";
import type { Database } from "../store/schema.js";
import { dashboardRows, pendingQueueCounts } from "./store-stats.js";
import type { Reason } from "./verdict.js";

const HOUR = 3600_000;
export type StatsRange = "day" | "week";
const RANGE_HOURS: Record<StatsRange, number> = { day: 24, week: 24 * 7 };
/** Held comments read to rank hold reasons; past this the ranking is of a sample and says so. */
const REASON_SAMPLE = 20_000;
const STATUSES = ["published", "pending", "rejected", "removed"] as const;
type Counted = Record<(typeof STATUSES)[number], number>;
const zero = (): Counted => ({ published: 0, pending: 0, rejected: 0, removed: 0 });

/** Waiting-time bands of the pending queue, in hours: [0,1), [1,6), [6,24), [24,∞). */
export const AGE_BANDS = [
  { label: "under 1 h", from: 0, to: 1 },
  { label: "1–6 h", from: 1, to: 6 },
  { label: "6–24 h", from: 6, to: 24 },
  { label: "over 24 h", from: 24, to: Infinity },
] as const;

/**
 * Everything the dashboard draws, from one call: comments per hour by status, the share of
 * each status, the most frequent hold reasons, the busiest stories and how long the pending
 * queue has waited. Plain Kysely with integer arithmetic, so both dialects run the same SQL.
 */
export async function moderationStats(props: { deps: Deps; siteId: string | null; sites: SiteScope; range: StatsRange }) {
  const { deps, siteId, range } = props;
  const siteIds = scopeSiteIds(props.sites);
  const db: Kysely<Database> = deps.store.read;
  const now = deps.clock.now();
  const hours = RANGE_HOURS[range];
  const firstHour = Math.floor(now / HOUR) - hours + 1;
  const since = firstHour * HOUR;
  const [{ perHourRows, reasonRows, storyRows, sectionRows }, pendingRows] = await Promise.all([
    dashboardRows(db, { siteIds, since, reasonSample: REASON_SAMPLE }),
    pendingAges(db, siteIds, now),
  ]);

  const perHour = Array.from({ length: hours }, (_, i) => ({
    at: new Date((firstHour + i) * HOUR).toISOString(),
    ...zero(),
  }));
  const shares = zero();
  for (const row of perHourRows) {
    const status = row.status as keyof Counted;
    const slot = perHour[Number(row.hour) - firstHour];
    if (!slot || !(status in shares)) continue;
    slot[status] += Number(row.n);
    shares[status] += Number(row.n);
  }

  const reasons = new Map<string, { code: string; phase: string; count: number }>();
  for (const row of reasonRows.slice(0, REASON_SAMPLE)) {
    let list: Reason[];
    try {
      list = JSON.parse(row.reasons ?? "[]") as Reason[];
    } catch {
      continue;
    }
    // A comment counts once per reason code, however many spans or phases repeated it.
    for (const code of new Set(list.map((r) => `${r.phase}\u0000${r.code}`))) {
      const [phase, reasonCode] = code.split("\u0000");
      const entry = reasons.get(code) ?? { code: reasonCode, phase, count: 0 };
      entry.count += 1;
      reasons.set(code, entry);
    }
  }

  return {
    range,
    siteId,
    since: new Date(since).toISOString(),
    until: new Date(now).toISOString(),
    perHour,
    shares,
    total: STATUSES.reduce((sum, s) => sum + shares[s], 0),
    topHoldReasons: [...reasons.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)).slice(0, 10),
    reasonsSampled: reasonRows.length > REASON_SAMPLE,
    busiestStories: storyRows.map((s) => ({
      id: s.id,
      title: s.title,
      url: s.url,
      comments: Number(s.n),
      pending: Number(s.pending ?? 0),
    })),
    bySection: sectionRows.map((r) => ({
      section: r.section,
      comments: Number(r.n),
      published: Number(r.published ?? 0),
      pending: Number(r.pending ?? 0),
      rejected: Number(r.rejected ?? 0),
    })),
    queue: pendingRows,
  };
}

/** The pending queue now: how many wait, since when, and how many in each age band. */
async function pendingAges(db: Kysely<Database>, siteIds: string[] | null, now: number) {
  const counts = await pendingQueueCounts(db, {
    siteIds,
    bands: AGE_BANDS.map((band) => ({
      newest: now - band.from * HOUR,
      oldest: Number.isFinite(band.to) ? now - band.to * HOUR : null,
    })),
  });
  const oldest = counts.oldest;
  return {
    pending: counts.pending,
    oldestAt: oldest === null ? null : new Date(oldest).toISOString(),
    oldestAgeHours: oldest === null ? null : Math.round(((now - oldest) / HOUR) * 10) / 10,
    ages: AGE_BANDS.map((band, i) => ({ label: band.label, count: counts.bands[i] ?? 0 })),
  };
}
