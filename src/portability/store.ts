import type { Insertable, Kysely, Transaction } from "kysely";
import type { CommentsTable, Database, ExternalIdsTable, StoryRow } from "../store/schema.js";
import type { ImportedAuthor } from "./ingest.js";

type Db = Kysely<Database> | Transaction<Database>;
type Kind = ExternalIdsTable["kind"];

/** Rows per statement, well below either dialect's limit on bound parameters. */
const CHUNK = 400;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function findExternal(db: Db, source: string, kind: Kind, keys: string[]) {
  const found = new Map<string, { local_id: string; import_id: string }>();
  for (const part of chunks([...new Set(keys)])) {
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

export async function findStoryByUrls(db: Db, siteId: string, urls: string[]): Promise<StoryRow | undefined> {
  const rows = await db.selectFrom("stories").selectAll().where("site_id", "=", siteId).where("url", "in", urls).execute();
  return rows.find((r) => r.url === urls[0]) ?? rows[0];
}

export async function insertComments(db: Db, rows: Insertable<CommentsTable>[]): Promise<void> {
  for (const part of chunks(rows, 200)) await db.insertInto("comments").values(part).execute();
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
