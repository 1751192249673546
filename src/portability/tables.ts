import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../store/schema.js";

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
