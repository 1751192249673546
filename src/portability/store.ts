import { type Insertable, type Kysely, type Transaction, sql } from "kysely";
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
