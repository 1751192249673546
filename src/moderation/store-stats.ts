import { type Kysely, sql } from "kysely";
import type { Database } from "../store/schema.js";

/** The dashboard's queries (src/moderation/stats.ts): plain Kysely with integer arithmetic, so both dialects run the same SQL. */

/** Comments since `since` (of these sites): per hour and status, a sample of hold reasons, the busiest stories, the sections. */
export async function dashboardRows(
  db: Kysely<Database>,
  q: { siteIds: string[] | null; since: number; reasonSample: number },
) {
  const { siteIds, since } = q;
  const inRange = () => {
    let rows = db.selectFrom("comments").where("comments.created_at", ">=", since);
    if (siteIds) rows = rows.where("comments.site_id", "in", siteIds);
    return rows;
  };
  const hourOf = sql<number>`created_at / 3600000`;
  const countWhere = (status: string) => sql<number>`sum(case when comments.status = ${status} then 1 else 0 end)`;
  const [perHourRows, reasonRows, storyRows, sectionRows] = await Promise.all([
    inRange()
      .select([hourOf.as("hour"), "status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy([hourOf, "status"])
      .execute(),
    inRange()
      .select("reasons")
      .where("reasons", "is not", null)
      .where("reasons", "!=", "[]")
      .where((eb) => eb.or([eb("status", "=", "pending"), eb("decided_at", "is not", null)]))
      .limit(q.reasonSample + 1)
      .execute(),
    inRange()
      .innerJoin("stories", "stories.id", "comments.story_id")
      .select([
        "stories.id",
        "stories.title",
        "stories.url",
        (eb) => eb.fn.countAll<number>().as("n"),
        (eb) => eb.fn.sum<number>(eb.case().when("comments.status", "=", "pending").then(1).else(0).end()).as("pending"),
      ])
      .groupBy(["stories.id", "stories.title", "stories.url"])
      .orderBy("n", "desc")
      .orderBy("stories.id")
      .limit(10)
      .execute(),
    inRange()
      .innerJoin("stories", "stories.id", "comments.story_id")
      .select([
        "stories.section",
        (eb) => eb.fn.countAll<number>().as("n"),
        countWhere("published").as("published"),
        countWhere("pending").as("pending"),
        countWhere("rejected").as("rejected"),
      ])
      .groupBy("stories.section")
      .orderBy("n", "desc")
      .limit(50)
      .execute(),
  ]);
  return { perHourRows, reasonRows, storyRows, sectionRows };
}

/**
 * The pending comments (of these sites): how many, the oldest's time, and how many in each
 * band of creation times (`oldest` < created_at <= `newest`; no `oldest`: no lower bound).
 */
export async function pendingQueueCounts(
  db: Kysely<Database>,
  q: { siteIds: string[] | null; bands: { newest: number; oldest: number | null }[] },
): Promise<{ pending: number; oldest: number | null; bands: number[] }> {
  let rows = db.selectFrom("comments").where("status", "=", "pending");
  if (q.siteIds) rows = rows.where("site_id", "in", q.siteIds);
  const row = await rows
    .select((eb) => [
      eb.fn.countAll<number>().as("n"),
      eb.fn.min("created_at").as("oldest"),
      ...q.bands.map((band, i) => {
        const cond =
          band.oldest !== null
            ? eb.and([eb("created_at", "<=", band.newest), eb("created_at", ">", band.oldest)])
            : eb("created_at", "<=", band.newest);
        return eb.fn.sum<number>(eb.case().when(cond).then(1).else(0).end()).as(`band${i}`);
      }),
    ])
    .executeTakeFirst();
  const record = (row ?? {}) as Record<string, unknown>;
  return {
    pending: Number(record.n ?? 0),
    oldest: record.oldest === null || record.oldest === undefined ? null : Number(record.oldest),
    bands: q.bands.map((_, i) => Number(record[`band${i}`] ?? 0)),
  };
}
