import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";

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
