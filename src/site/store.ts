import type { Kysely } from "kysely";
import type { Database, SiteRow } from "../store/schema.js";

/** Adds a site with default settings; a taken id fails with the dialect's unique violation. */
export async function insertSite(
  db: Kysely<Database>,
  site: { id: string; name: string; origins: string[]; now: number },
): Promise<void> {
  await db
    .insertInto("sites")
    .values({
      id: site.id,
      name: site.name,
      origins: JSON.stringify(site.origins),
      settings: "{}",
      created_at: site.now,
    })
    .execute();
}

/** Adds a site with default settings unless one with this id exists. */
export async function insertSiteOnce(
  db: Kysely<Database>,
  site: { id: string; name: string; origins: string[]; now: number },
): Promise<void> {
  await db
    .insertInto("sites")
    .values({ id: site.id, name: site.name, origins: JSON.stringify(site.origins), settings: "{}", created_at: site.now })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** Replaces a site's settings document. */
export async function saveSiteSettings(db: Kysely<Database>, id: string, settings: Record<string, unknown>): Promise<void> {
  await db.updateTable("sites").set({ settings: JSON.stringify(settings) }).where("id", "=", id).execute();
}

export async function updateSite(
  db: Kysely<Database>,
  site: { id: string; name: string; origins: string[] },
): Promise<void> {
  await db
    .updateTable("sites")
    .set({ name: site.name, origins: JSON.stringify(site.origins) })
    .where("id", "=", site.id)
    .execute();
}

/** Every site, oldest first. */
export async function allSites(db: Kysely<Database>): Promise<SiteRow[]> {
  return db.selectFrom("sites").selectAll().orderBy("created_at").execute();
}

export async function findSite(db: Kysely<Database>, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom("sites").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function setSiteOrigins(db: Kysely<Database>, id: string, origins: string[]): Promise<void> {
  await db.updateTable("sites").set({ origins: JSON.stringify(origins) }).where("id", "=", id).execute();
}

/** The site a story or a comment belongs to; undefined when there is no such row. */
export async function siteIdOf(db: Kysely<Database>, target: { story: string } | { comment: string }): Promise<string | undefined> {
  const row =
    "story" in target
      ? await db.selectFrom("stories").select("site_id").where("id", "=", target.story).executeTakeFirst()
      : await db.selectFrom("comments").select("site_id").where("id", "=", target.comment).executeTakeFirst();
  return row?.site_id;
}

/** Counts one more refusal of `origin` (from `pageUrl`, when known), then keeps only the `kept` most recent origins. */
export async function recordRefusal(
  db: Kysely<Database>,
  r: { origin: string; pageUrl: string | null; now: number; kept: number },
): Promise<void> {
  const { origin, pageUrl, now } = r;
  await db
    .insertInto("refused_origins")
    .values({ origin, page_url: pageUrl, attempts: 1, first_seen_at: now, last_seen_at: now })
    .onConflict((oc) =>
      oc.column("origin").doUpdateSet((eb) => ({
        attempts: eb(eb.ref("refused_origins.attempts"), "+", 1),
        last_seen_at: now,
        page_url: pageUrl ?? eb.ref("refused_origins.page_url"),
      })),
    )
    .execute();
  const stale = await db
    .selectFrom("refused_origins")
    .select("origin")
    .orderBy("last_seen_at", "desc")
    .orderBy("origin")
    .offset(r.kept)
    .limit(1000)
    .execute();
  if (stale.length > 0) {
    await db
      .deleteFrom("refused_origins")
      .where(
        "origin",
        "in",
        stale.map((s) => s.origin),
      )
      .execute();
  }
}

/** The most recently refused origins, most recent first. */
export async function refusedOrigins(db: Kysely<Database>, limit: number) {
  const rows = await db.selectFrom("refused_origins").selectAll().orderBy("last_seen_at", "desc").orderBy("origin").limit(limit).execute();
  return rows.map((row) => ({
    origin: row.origin,
    pageUrl: row.page_url,
    attempts: Number(row.attempts),
    firstSeenAt: Number(row.first_seen_at),
    lastSeenAt: Number(row.last_seen_at),
  }));
}
