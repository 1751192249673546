import type { Kysely } from "kysely";
import type { Database, NewStory, StoryRow } from "../store/schema.js";
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
  changes: Partial<Pick<StoryRow, "status" | "premod" | "title" | "author" | "body_text" | "updated_at" | "section" | "close_after_days" | "commenting">>,
): Promise<void> {
  await db.updateTable("stories").set(changes).where("id", "=", id).execute();
}
