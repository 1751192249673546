import type { Deps } from "../deps.js";
import { isAllowedOrigin } from "./service.js";
import { recordRefusal, refusedOrigins } from "./store.js";

/** How many refused origins the desk lists; older ones make room. */
export const REFUSED_KEPT = 50;
/** A node writes an origin's refusal at most this often: a busy page must not turn every view into a write. */
const WRITE_EVERY_MS = 60_000;

const lastWrite = new Map<string, number>();

export interface RefusedOrigin {
  origin: string;
  pageUrl: string | null;
  attempts: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** A well-formed `scheme://host[:port]` origin, or undefined (the header can hold anything, even "null"). */
function cleanOrigin(raw: string): string | undefined {
  if (raw.length > 200) return undefined;
  try {
    const origin = new URL(raw).origin;
    return origin === raw && /^https?:/.test(origin) ? origin : undefined;
  } catch {
    return undefined;
  }
}

/** The page a refusal came from, without its query or fragment (they can carry a reader's data). */
function cleanPage(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`.slice(0, 500);
  } catch {
    return null;
  }
}

/** Notes that `origin` tried to embed a thread and was refused; keeps only the most recent few. */
export async function recordRefusedOrigin(deps: Deps, rawOrigin: string, page?: string): Promise<void> {
  const origin = cleanOrigin(rawOrigin);
  if (!origin) return;
  const now = deps.clock.now();
  const key = `${deps.config.databaseUrl} ${origin}`;
  if (now - (lastWrite.get(key) ?? -Infinity) < WRITE_EVERY_MS) return;
  if (lastWrite.size > 1000) lastWrite.clear();
  lastWrite.set(key, now);
  const pageUrl = cleanPage(page);
  await recordRefusal(deps.store.db, { origin, pageUrl, now, kept: REFUSED_KEPT });
}

/** Refused origins, most recent first, leaving out any an admin has allowed since. */
export async function listRefusedOrigins(deps: Deps): Promise<RefusedOrigin[]> {
  const rows = await refusedOrigins(deps.store.db, REFUSED_KEPT);
  const items: RefusedOrigin[] = [];
  for (const row of rows) {
    if (await isAllowedOrigin(deps, row.origin)) continue;
    items.push({
      origin: row.origin,
      pageUrl: row.pageUrl,
      attempts: row.attempts,
      firstSeenAt: new Date(row.firstSeenAt).toISOString(),
      lastSeenAt: new Date(row.lastSeenAt).toISOString(),
    });
  }
  return items;
}
