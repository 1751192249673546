import { type Insertable, type Kysely, type RawBuilder, type Transaction, sql } from "kysely";
import type { CommentsTable, Database, ExternalIdsTable, ImportsTable, NewStory } from "../store/schema.js";
import type { ImportedAuthor } from "./ingest.js";

type Db = Kysely<Database> | Transaction<Database>;
type Kind = ExternalIdsTable["kind"];

/**
 * Rows per statement: a whole batch of the importer in one statement, and still well below
 * either dialect's limit on bound parameters (500 comments × 14 columns = 7,000).
 */
const CHUNK = 500;
/**
 * Keys per lookup. PostgreSQL plans `external_id in (…500 keys…)` as a scan of the whole
 * table once it has statistics (it prices 500 index probes above one scan), which grows
 * with every batch; up to about 100 keys it probes the index.
 */
const LOOKUP = 100;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Fresh planner statistics for the tables an import looks rows up in. Without them
 * PostgreSQL plans `external_id in (…)` as a scan of every id of the source (it took the
 * tables for empty), so each lookup grows with the import: quadratic overall.
 */
export async function analyzeImportTables(db: Db): Promise<void> {
  await sql`analyze external_ids`.execute(db);
  await sql`analyze comments`.execute(db);
}

export async function findExternal(db: Db, source: string, kind: Kind, keys: string[]) {
  const found = new Map<string, { local_id: string; import_id: string }>();
  for (const part of chunks([...new Set(keys)], LOOKUP)) {
    const rows = await db
      .selectFrom("external_ids")
      .select(["external_id", "local_id", "import_id"])
      .where("source", "=", source)
      .where("kind", "=", kind)
      .where("external_id", "in", part)
      .execute();
    for (const row of rows) found.set(row.external_id, row);
  }
  return found;
}

/** A comment's external id, with the comment it stands for when that comment still exists. */
export interface KnownComment {
  local_id: string;
  import_id: string;
  story_id: string | null;
  depth: number | null;
}

/**
 * Comments already imported under these external ids, with their story and depth, so a
 * batch both skips what it added before and links replies to parents of earlier batches.
 */
export async function findComments(db: Db, source: string, keys: string[]): Promise<Map<string, KnownComment>> {
  const found = new Map<string, KnownComment>();
  for (const part of chunks([...new Set(keys)], LOOKUP)) {
    const rows = await db
      .selectFrom("external_ids as e")
      .leftJoin("comments as c", "c.id", "e.local_id")
      .select(["e.external_id", "e.local_id", "e.import_id", "c.story_id", "c.depth"])
      .where("e.source", "=", source)
      .where("e.kind", "=", "comment")
      .where("e.external_id", "in", part)
      .execute();
    for (const { external_id, ...row } of rows) found.set(external_id, row);
  }
  return found;
}

export async function insertExternal(db: Db, rows: Insertable<ExternalIdsTable>[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db
      .insertInto("external_ids")
      .values(part)
      .onConflict((oc) => oc.columns(["source", "kind", "external_id"]).doNothing())
      .execute();
  }
}

/** The http and https forms of a story URL: exports often mix them for one article. */
export function urlVariants(url: URL): string[] {
  const other = new URL(url.toString());
  other.protocol = url.protocol === "https:" ? "http:" : "https:";
  return [url.toString(), other.toString()];
}

/** The site's stories at these URLs: URL → story id. */
export async function findStoriesByUrls(db: Db, siteId: string, urls: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks([...new Set(urls)], LOOKUP)) {
    const rows = await db.selectFrom("stories").select(["id", "url"]).where("site_id", "=", siteId).where("url", "in", part).execute();
    for (const row of rows) found.set(row.url, row.id);
  }
  return found;
}

/**
 * Inserts stories unless another writer created one at the same URL first; returns the
 * stored story id by URL, whoever created it.
 */
export async function insertStoriesOnce(db: Db, siteId: string, stories: NewStory[]): Promise<Map<string, string>> {
  for (const part of chunks(stories)) {
    await db.insertInto("stories").values(part).onConflict((oc) => oc.columns(["site_id", "url"]).doNothing()).execute();
  }
  return findStoriesByUrls(db, siteId, stories.map((s) => s.url));
}

export async function insertComments(db: Db, rows: Insertable<CommentsTable>[]): Promise<void> {
  for (const part of chunks(rows)) await db.insertInto("comments").values(part).execute();
}

/** Display names as Parley allows them: one line, at most 40 characters. */
function displayName(name: string): string {
  const clean = name.replace(/\s+/g, " ").trim();
  return ([...clean].slice(0, 40).join("") || "Anonymous").padEnd(2, ".");
}

/** Authors without an account: no e-mail, no password; `claim_email` lets a reader take them over. */
export async function insertUnclaimedUsers(
  db: Db,
  source: string,
  now: number,
  users: { author: ImportedAuthor; id: string }[],
): Promise<void> {
  for (const part of chunks(users)) {
    await db
      .insertInto("users")
      .values(
        part.map(({ author, id }) => ({
          id,
          email: null,
          password_hash: null,
          display_name: displayName(author.name),
          role: "commenter" as const,
          status: "active" as const,
          suspended_until: null,
          created_at: now,
        })),
      )
      .execute();
    await db
      .insertInto("unclaimed_users")
      .values(part.map(({ author, id }) => ({ user_id: id, claim_email: author.email, source, created_at: now })))
      .execute();
  }
}

export async function siteExists(db: Db, siteId: string): Promise<boolean> {
  return (await db.selectFrom("sites").select("id").where("id", "=", siteId).executeTakeFirst()) !== undefined;
}

/** Records an import; starting one that was recorded when queued marks it running again. */
export async function recordImport(db: Db, row: Insertable<ImportsTable>): Promise<void> {
  await db
    .insertInto("imports")
    .values(row)
    .onConflict((oc) => oc.column("id").doUpdateSet({ status: row.status, updated_at: row.updated_at }))
    .execute();
}

export async function findImport(db: Db, id: string) {
  return db.selectFrom("imports").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function saveImportProgress(db: Db, id: string, progress: string, now: number): Promise<void> {
  await db.updateTable("imports").set({ progress, updated_at: now }).where("id", "=", id).execute();
}

export async function finishImport(
  db: Db,
  id: string,
  end: { status: "done" | "failed"; progress: string; summary: string | null; error: string | null; now: number },
): Promise<void> {
  await db
    .updateTable("imports")
    .set({ status: end.status, progress: end.progress, summary: end.summary, error: end.error, updated_at: end.now })
    .where("id", "=", id)
    .execute();
}

// ---- Portable rows: the export and the JSON import, whatever the table and its columns ----
/** Rows as the exporter and the JSON importer see them, whatever the table and its columns. */
export type PortableRow = Record<string, unknown>;
export type AnyDb = Kysely<Record<string, PortableRow>>;

/**
 * Which rows of a table belong to one site, as a condition on the table's own columns.
 * `existing` names the tables present, so a condition can leave out one not created yet.
 */
type SiteScope = (site: string, existing: ReadonlySet<string>) => RawBuilder<unknown>;

export interface PortableTable {
  name: string;
  /** Paging order; the primary key (or a unique prefix of it), so keyset pages are exact. */
  key: string[];
  /** Rows are written level by level (ascending), so a reply always follows its parent. */
  level?: string;
  site: SiteScope;
}

const bySite: SiteScope = (site) => sql`site_id = ${site}`;
const siteComments = (site: string) => sql`select id from comments where site_id = ${site}`;
const byComment: SiteScope = (site) => sql`comment_id in (${siteComments(site)})`;

/** The users a site's export needs: authors, and whoever reacted to or reported its comments. */
function siteUsers(site: string, existing: ReadonlySet<string>): RawBuilder<unknown> {
  const parts = [
    sql`select author_id from comments where site_id = ${site}`,
    sql`select user_id from reactions where comment_id in (${siteComments(site)})`,
  ];
  if (existing.has("reports")) parts.push(sql`select reporter_id from reports where comment_id in (${siteComments(site)})`);
  return sql.join(parts, sql` union `);
}

/**
 * Everything Parley exports, parents before children. A table another part of Parley adds
 * is exported by adding one entry here; an entry whose table does not exist yet is skipped.
 * Sessions, idempotency records and rate-limit counters are left out on purpose: they are
 * short-lived and a session would let the file's reader sign in as someone.
 */
export const PORTABLE_TABLES: PortableTable[] = [
  { name: "sites", key: ["id"], site: (site) => sql`id = ${site}` },
  { name: "users", key: ["id"], site: (site, existing) => sql`id in (${siteUsers(site, existing)})` },
  { name: "unclaimed_users", key: ["user_id"], site: (site, existing) => sql`user_id in (${siteUsers(site, existing)})` },
  { name: "stories", key: ["id"], site: bySite },
  { name: "comments", key: ["id"], level: "depth", site: bySite },
  { name: "comment_revisions", key: ["id"], site: byComment },
  { name: "reactions", key: ["comment_id", "user_id", "kind"], site: byComment },
  { name: "reports", key: ["id"], site: byComment },
  { name: "corrections", key: ["id"], site: bySite },
  { name: "moderation_actions", key: ["id"], site: bySite },
  { name: "user_notes", key: ["id"], site: (site, existing) => sql`user_id in (${siteUsers(site, existing)})` },
  { name: "site_bans", key: ["user_id", "site_id"], site: bySite },
  { name: "imports", key: ["id"], site: bySite },
  {
    name: "external_ids",
    key: ["source", "kind", "external_id"],
    site: (site, existing) =>
      sql`local_id in (select id from stories where site_id = ${site}) or local_id in (${siteComments(site)}) or local_id in (${siteUsers(site, existing)})`,
  },
];

export function asAnyDb(db: Kysely<Database>): AnyDb {
  return db as unknown as AnyDb;
}

const refs = (columns: string[]) => sql.join(columns.map((c) => sql.ref(c)));
const EXPORT_PAGE = 1000;

/** Pages through one table (or one level of it) by its key: each page is a range scan. */
async function* pages(
  db: Kysely<Database>,
  table: PortableTable,
  where: RawBuilder<unknown>[],
): AsyncGenerator<PortableRow[]> {
  let after: unknown[] | undefined;
  for (;;) {
    const conditions = [...where];
    if (after) conditions.push(sql`(${refs(table.key)}) > (${sql.join(after.map((v) => sql`${v}`))})`);
    const filter = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
    const { rows } = await sql<PortableRow>`select * from ${sql.table(table.name)} ${filter}
      order by ${refs(table.key)} limit ${EXPORT_PAGE}`.execute(db);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < EXPORT_PAGE) return;
    const last = rows[rows.length - 1];
    after = table.key.map((k) => last[k]);
  }
}

/** A table's rows (all, or one site's), page by page; a table with levels level by level. */
export async function* portableRows(
  db: Kysely<Database>,
  table: PortableTable,
  site: string | null,
  existing: ReadonlySet<string>,
): AsyncGenerator<PortableRow[]> {
  const scope = site === null ? [] : [sql`(${table.site(site, existing)})`];
  if (!table.level) {
    yield* pages(db, table, scope);
    return;
  }
  const filter = scope.length ? sql`where ${scope[0]}` : sql``;
  const levels = await sql<{ level: number }>`select distinct ${sql.ref(table.level)} as level
    from ${sql.table(table.name)} ${filter} order by level`.execute(db);
  for (const { level } of levels.rows) {
    yield* pages(db, table, [...scope, sql`${sql.ref(table.level)} = ${level}`]);
  }
}

/** Inserts exported rows as they are, leaving alone any whose key is already here; returns how many were added. */
export async function insertPortableRows(db: Kysely<Database>, table: string, rows: PortableRow[]): Promise<number> {
  const result = await asAnyDb(db).insertInto(table).values(rows).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

// ---- Linking an import's replies (src/portability/link.ts), over a chunk of touched stories ----

const LISTED = sql`('published', 'removed')`;
const inStories = (stories: string[]) => sql<boolean>`story_id in (${sql.join(stories)})`;
const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }[]) =>
  result.reduce((n, r) => n + Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0), 0);

/** Links each reply still waiting for its parent to that parent, in the same story and source. */
export async function linkWaitingReplies(db: Kysely<Database>, source: string, stories: string[]): Promise<void> {
  await sql`update comments set parent_id = (
      select p.id from external_ids c
      join external_ids pe on pe.source = c.source and pe.kind = 'comment' and pe.external_id = c.parent_external_id
      join comments p on p.id = pe.local_id
      where c.source = ${source} and c.kind = 'comment' and c.local_id = comments.id
        and p.story_id = comments.story_id and p.id <> comments.id)
    where ${inStories(stories)} and depth = -1 and parent_id is null`.execute(db);
}

/** Replies whose parent is not in the file stay at the top level; returns how many. */
export async function keepOrphansAtTop(db: Kysely<Database>, stories: string[]): Promise<number> {
  const orphans = await db
    .updateTable("comments")
    .set({ depth: 0 })
    .where(inStories(stories))
    .where("depth", "=", -1)
    .where("parent_id", "is", null)
    .execute();
  return changed(orphans);
}

/** Places one more level of the reply tree; returns how many replies it placed. */
export async function placeNextReplyLevel(db: Kysely<Database>, stories: string[]): Promise<number> {
  const placed = await sql`update comments set depth = (select p.depth + 1 from comments p where p.id = comments.parent_id)
    where ${inStories(stories)} and depth = -1
      and exists (select 1 from comments p where p.id = comments.parent_id and p.depth >= 0)`.execute(db);
  return Number(placed.numAffectedRows ?? 0);
}

/** Replies still unplaced are in a cycle: each goes to the top level; returns how many. */
export async function breakReplyCycles(db: Kysely<Database>, stories: string[]): Promise<number> {
  const cycles = await db
    .updateTable("comments")
    .set({ parent_id: null, depth: 0 })
    .where(inStories(stories))
    .where("depth", "=", -1)
    .execute();
  return changed(cycles);
}

/**
 * Deletes this import's tombstones that nobody answers (one level of them); returns how many.
 * Tombstones are few: found by status, then each checked to be this run's (external_ids_local).
 */
export async function dropUnansweredTombstones(db: Kysely<Database>, stories: string[], importId: string): Promise<number> {
  const thisRun = sql`exists (select 1 from external_ids e where e.local_id = comments.id and e.import_id = ${importId} and e.kind = 'comment')`;
  const dropped = await sql`delete from comments where ${inStories(stories)} and status = 'removed' and ${thisRun}
    and not exists (select 1 from comments c where c.story_id = comments.story_id and c.parent_id = comments.id)`.execute(db);
  return Number(dropped.numAffectedRows ?? 0);
}

/**
 * Sets the reply count of every comment that has replies in these stories, from one grouped
 * scan. A comment without replies keeps its count: 0 for one added now, and an import never
 * removes a listed reply from a comment already here.
 */
export async function recountImportedReplies(db: Kysely<Database>, stories: string[]): Promise<void> {
  await sql`update comments set reply_count = r.n
    from (select parent_id, sum(case when status in ${LISTED} then 1 else 0 end) as n
      from comments where ${inStories(stories)} and parent_id is not null group by parent_id) r
    where comments.id = r.parent_id and comments.reply_count <> r.n`.execute(db);
}

/** Sets each story's published-comment count. */
export async function recountStoryComments(db: Kysely<Database>, stories: string[]): Promise<void> {
  await sql`update stories set comment_count = (
      select count(*) from comments c where c.story_id = stories.id and c.status = 'published')
    where id in (${sql.join(stories)})`.execute(db);
}
