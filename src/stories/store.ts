import { type Kysely, sql } from "kysely";
import type { Database, NewStory, StoryRow, StoryStatus } from "../store/schema.js";
import { prepared } from "../store/prepared.js";

const storyById = prepared<[string], StoryRow>((db, slot) =>
  db.selectFrom("stories").selectAll().where("id", "=", slot(0)),
);

export async function findStory(db: Kysely<Database>, id: string): Promise<StoryRow | undefined> {
  return (await storyById(db, id)).rows[0];
}

export async function findStoryByUrl(db: Kysely<Database>, siteId: string, url: string): Promise<StoryRow | undefined> {
  return db.selectFrom("stories").selectAll().where("site_id", "=", siteId).where("url", "=", url).executeTakeFirst();
}

/** Inserts unless another request created the same story first; either way returns the stored one. */
export async function insertStoryOnce(db: Kysely<Database>, story: NewStory): Promise<StoryRow> {
  await db
    .insertInto("stories")
    .values(story)
    .onConflict((oc) => oc.columns(["site_id", "url"]).doNothing())
    .execute();
  const stored = await findStoryByUrl(db, story.site_id, story.url);
  if (!stored) throw new Error("story vanished after insert");
  return stored;
}

export async function updateStory(
  db: Kysely<Database>,
  id: string,
  changes: Partial<
    Pick<StoryRow, "status" | "premod" | "title" | "author" | "body_text" | "updated_at" | "mode" | "section" | "close_after_days" | "commenting">
  >,
): Promise<void> {
  await db.updateTable("stories").set(changes).where("id", "=", id).execute();
}

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[%_\\]/g, "\\$&")}%`;

/** Stories newest first: of some sites (all when `siteIds` is null), with a status, matching words in the title or address, before a position. */
export async function listStories(
  db: Kysely<Database>,
  q: {
    siteIds: string[] | null;
    status?: StoryStatus | undefined;
    matching?: string;
    before?: [number, string];
    limit: number;
  },
): Promise<StoryRow[]> {
  let query = db.selectFrom("stories").selectAll();
  if (q.siteIds) query = query.where("site_id", "in", q.siteIds);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.matching) {
    const pattern = likePattern(q.matching);
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`lower(title)`, "like", sql<string>`${pattern} escape '\\'`),
        eb(sql<string>`lower(url)`, "like", sql<string>`${pattern} escape '\\'`),
      ]),
    );
  }
  if (q.before) {
    const [createdAt, id] = q.before;
    query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(createdAt, id)));
  }
  return query.orderBy("created_at", "desc").orderBy("id", "desc").limit(q.limit).execute();
}

/** How many comments of each story wait for a decision, and how many are reported, in one grouped query. */
export async function waitingCounts(
  db: Kysely<Database>,
  storyIds: string[],
): Promise<Map<string, { pending: number; reported: number }>> {
  if (storyIds.length === 0) return new Map();
  // Each story's comments are a range of comments_thread_time.
  const rows = await db
    .selectFrom("comments")
    .select((eb) => [
      "story_id",
      eb.fn.sum<number>(eb.case().when("status", "=", "pending").then(1).else(0).end()).as("pending"),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb("open_reports", ">", 0), eb("status", "in", ["published", "pending"])]))
            .then(1)
            .else(0)
            .end(),
        )
        .as("reported"),
    ])
    .where("story_id", "in", storyIds)
    .groupBy("story_id")
    .execute();
  return new Map(rows.map((r) => [r.story_id, { pending: Number(r.pending), reported: Number(r.reported) }]));
}

/** Whether the database holds any story at all. */
export async function anyStory(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom("stories").select("id").limit(1).executeTakeFirst()) !== undefined;
}
