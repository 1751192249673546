import type { Deps } from "../deps.js";
import { type Encoding, compressBody } from "../http/compression.js";
import { pgSnapshot, sqliteChangeCounter } from "../store/calls.js";
import type { Store } from "../store/db.js";

/**
 * An in-process cache of the thread pages anonymous readers ask for (every page view of an
 * article reads its first page), so a popular story costs the database one read per change
 * instead of one per view. Signed-in readers see their own view and are never served from it.
 *
 * A cached page is served only while nothing it was built from can have changed:
 *  - the database's change token is the same as when the page was read. On SQLite that is the
 *    writer connection's `data_version` (commits by other processes) and `total_changes()`
 *    (writes of this process), and nothing is cached or served while a write transaction is
 *    open: exact, and free. On PostgreSQL it is `pg_current_snapshot()`, which moves whenever
 *    any transaction that wrote commits, on this node or another; one query checks it for all
 *    the requests that arrived while the previous check ran. Exact across nodes, but it costs
 *    a round trip per batch of requests, and any write anywhere in the cluster invalidates
 *    every page;
 *  - the story was not invalidated since: `invalidateStory` drops its pages, and a page
 *    read while any story was invalidated is not kept;
 *  - the page is younger than `ttlMs`.
 * Once every write path calls `invalidateStory` (or `invalidateAllStories`), set
 * `writesInvalidate`: PostgreSQL is then not asked at all, this node stays exact, and other
 * nodes serve a page at most `ttlMs` old until live updates carry invalidations across nodes.
 * Pages are shared between requests: treat them as immutable.
 */

export interface PageCacheOptions {
  /** The most pages held; the oldest go first. */
  maxEntries: number;
  ttlMs: number;
  /** Every write that changes a thread calls `invalidateStory`: trust it instead of asking PostgreSQL. */
  writesInvalidate: boolean;
}

const options: PageCacheOptions = { maxEntries: 500, ttlMs: 1_000, writesInvalidate: false };

export function configurePageCache(change: Partial<PageCacheOptions>): void {
  Object.assign(options, change);
  clearEntries();
}

interface Entry {
  value: unknown;
  storyId: string;
  token: string;
  at: number;
}

const entries = new Map<string, Entry>();
/**
 * The slots each story's pages occupy, so that invalidating a story drops its pages at once.
 * Only stories with a page in the cache are here: it is bounded by `maxEntries`, however
 * many stories a site has (a map of every story ever invalidated was not).
 */
const slotsByStory = new Map<string, Set<string>>();
/** Moves on every invalidation: a page read while it moved is not kept. */
let epoch = 0;
const stats = { hits: 0, misses: 0, uncached: 0 };

function dropEntry(slot: string): void {
  const entry = entries.get(slot);
  if (!entry) return;
  entries.delete(slot);
  const slots = slotsByStory.get(entry.storyId);
  slots?.delete(slot);
  if (slots?.size === 0) slotsByStory.delete(entry.storyId);
}

function clearEntries(): void {
  entries.clear();
  slotsByStory.clear();
}

/** Forgets every cached page of a story; call it after any write that changes what its readers see. */
export function invalidateStory(storyId: string): void {
  for (const slot of slotsByStory.get(storyId) ?? []) entries.delete(slot);
  slotsByStory.delete(storyId);
  epoch += 1;
}

/** Forgets every cached page: for writes seen on every story, such as a renamed or deleted account. */
export function invalidateAllStories(): void {
  clearEntries();
  epoch += 1;
}

/** How many pages, and stories with pages, the cache holds (both bounded by `maxEntries`). */
export function pageCacheSize(): { pages: number; stories: number } {
  return { pages: entries.size, stories: slotsByStory.size };
}

/** Pages served from the cache, read because none was usable, and read where none may be kept. */
export function pageCacheStats(): { hits: number; misses: number; uncached: number } {
  return { ...stats };
}

/** The database's change token now, or null when pages must not be cached or served. */
type ChangeToken = () => Promise<string | null> | string | null;

function sqliteToken(store: Store): ChangeToken | null {
  const writer = store.sqlite;
  // With one connection for reads and writes (":memory:") a reader could see an uncommitted write.
  if (!writer || store.read === store.db) return null;
  const counter = sqliteChangeCounter(writer);
  return () => (writer.inTransaction ? null : counter());
}

/** A snapshot taken after the caller arrived, shared by everyone who arrived meanwhile. */
function postgresToken(store: Store): ChangeToken {
  let running: Promise<string> | null = null;
  let queued: Promise<string> | null = null;
  const start = () => {
    const query = pgSnapshot(store.read);
    running = query;
    const done = () => {
      if (running === query) running = null;
    };
    query.then(done, done);
    return query;
  };
  return () => {
    if (!running) return start();
    // The query under way may have taken its snapshot before this request arrived.
    queued ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}

/** Per store: its change token, and a number that keeps its pages apart from another store's. */
const stores = new WeakMap<Store, { token: ChangeToken | null; prefix: string }>();
let storesSeen = 0;

const trusted: ChangeToken = () => "writes";

function storeCache(store: Store) {
  let found = stores.get(store);
  if (!found) {
    storesSeen += 1;
    const token = store.dialect === "sqlite" ? sqliteToken(store) : postgresToken(store);
    found = { token, prefix: `${storesSeen}:` };
    stores.set(store, found);
  }
  const token = found.token && store.dialect === "postgres" && options.writesInvalidate ? trusted : found.token;
  return { token, prefix: found.prefix };
}

/**
 * The cached page under `key`, or `read()`'s result, cached when it may be. The token is taken
 * before reading, so a write that lands during the read leaves a page that is never served.
 * Entries go oldest first when the cache is full; a hot page is read again every `ttlMs`.
 */
export async function cachedPage<T>(
  deps: Deps,
  key: string,
  read: () => Promise<{ storyId: string; page: T }>,
): Promise<T> {
  const { token, prefix } = storeCache(deps.store);
  if (!token) {
    stats.uncached += 1;
    return (await read()).page;
  }
  const slot = prefix + key;
  let current: string | null;
  try {
    current = await token();
  } catch {
    current = null;
  }
  const at = deps.clock.now();
  const entry = entries.get(slot);
  if (entry && current !== null && entry.token === current && at >= entry.at && at - entry.at < options.ttlMs) {
    stats.hits += 1;
    return entry.value as T;
  }
  const epochBefore = epoch;
  const { storyId, page } = await read();
  if (current === null || epoch !== epochBefore) {
    stats.uncached += 1;
    return page;
  }
  stats.misses += 1;
  dropEntry(slot);
  if (entries.size >= options.maxEntries) dropEntry(entries.keys().next().value as string);
  entries.set(slot, { value: page, storyId, token: current, at });
  let slots = slotsByStory.get(storyId);
  if (!slots) slotsByStory.set(storyId, (slots = new Set()));
  slots.add(slot);
  if (typeof page === "object" && page !== null) shared.add(page);
  return page;
}

/** Pages the cache hands to more than one request, and their JSON once a route has made it. */
const shared = new WeakSet<object>();
const serialized = new WeakMap<object, string>();

/**
 * The JSON a route sends for a page, made once per cached page so that a cache hit costs no
 * serialization. `serialize` is the route's own response serializer, e.g.
 * `reply.type("application/json; charset=utf-8").send(pageJson(page, () => String(reply.serializeInput(page, "200"))))`.
 */
export function pageJson(page: object, serialize: () => string): string {
  if (!shared.has(page)) return serialize();
  let json = serialized.get(page);
  if (json === undefined) {
    json = serialize();
    serialized.set(page, json);
  }
  return json;
}

const encoded = new WeakMap<object, Partial<Record<Encoding, Buffer>>>();

/**
 * A page's JSON compressed, made once per cached page and encoding (so once per change of a
 * popular thread, not once per reader); an uncached page is compressed for its one request.
 */
export function pageEncoded(page: object, json: string, encoding: Encoding): Buffer {
  if (!shared.has(page)) return compressBody(json, encoding);
  let variants = encoded.get(page);
  if (!variants) encoded.set(page, (variants = {}));
  return (variants[encoding] ??= compressBody(json, encoding));
}
