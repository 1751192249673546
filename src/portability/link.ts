import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Store } from "../store/db.js";
import type { Database } from "../store/schema.js";
import type { ImportReport } from "./report.js";
import { analyzeImportTables } from "./store.js";

const STORY_CHUNK = 200;
const LISTED = sql`('published', 'removed')`;

const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }[]) =>
  result.reduce((n, r) => n + Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0), 0);

/**
 * After the whole file is read: links each reply still waiting for its parent (one that came
 * before its parent in the file; the rest were linked as they were stored) to its parent in
 * the same story and source, keeps orphans at the top level, computes the depths still
 * unknown level by level, drops tombstones nobody answered, and recounts replies and
 * comments. All in SQL over the touched stories, so memory stays flat however many
 * comments the file holds.
 */
export async function linkReplies(
  store: Store,
  run: { source: string; importId: string; report: ImportReport; stories: string[] },
): Promise<void> {
  const { source, importId, report } = run;
  const db = store.db;
  // Fresh statistics, or the planner (either dialect) may answer the correlated lookups
  // below by scanning external_ids once per reply: quadratic on a large import.
  await analyzeImportTables(db);
  for (let i = 0; i < run.stories.length; i += STORY_CHUNK) {
    const stories = run.stories.slice(i, i + STORY_CHUNK);
    const inStories = sql`story_id in (${sql.join(stories)})`;
    await sql`update comments set parent_id = (
        select p.id from external_ids c
        join external_ids pe on pe.source = c.source and pe.kind = 'comment' and pe.external_id = c.parent_external_id
        join comments p on p.id = pe.local_id
        where c.source = ${source} and c.kind = 'comment' and c.local_id = comments.id
          and p.story_id = comments.story_id and p.id <> comments.id)
      where ${inStories} and depth = -1 and parent_id is null`.execute(db);

    const orphans = await db
      .updateTable("comments")
      .set({ depth: 0 })
      .where(sql<boolean>`${inStories}`)
      .where("depth", "=", -1)
      .where("parent_id", "is", null)
      .execute();
    const orphaned = changed(orphans);
    if (orphaned) report.problem("orphan replies (parent not in the file) kept at the top level", undefined, orphaned);

    // Each pass places one more level of the reply tree.
    for (;;) {
      const placed = await sql`update comments set depth = (select p.depth + 1 from comments p where p.id = comments.parent_id)
        where ${inStories} and depth = -1
          and exists (select 1 from comments p where p.id = comments.parent_id and p.depth >= 0)`.execute(db);
      if (Number(placed.numAffectedRows ?? 0) === 0) break;
    }
    const cycles = await db
      .updateTable("comments")
      .set({ parent_id: null, depth: 0 })
      .where(sql<boolean>`${inStories}`)
      .where("depth", "=", -1)
      .execute();
    const broken = changed(cycles);
    if (broken) report.problem("reply cycles broken (kept at the top level)", undefined, broken);

    // A deleted comment stays only as the tombstone its replies hang from. Tombstones are
    // few: find them by status, then check each is this run's (external_ids_local).
    const thisRun = sql`exists (select 1 from external_ids e where e.local_id = comments.id and e.import_id = ${importId} and e.kind = 'comment')`;
    for (;;) {
      const dropped = await sql`delete from comments where ${inStories} and status = 'removed' and ${thisRun}
        and not exists (select 1 from comments c where c.story_id = comments.story_id and c.parent_id = comments.id)`.execute(db);
      const n = Number(dropped.numAffectedRows ?? 0);
      if (n === 0) break;
      report.skipped("deleted comments without replies", n);
    }
    await recountReplies(db, inStories);
    await sql`update stories set comment_count = (
        select count(*) from comments c where c.story_id = stories.id and c.status = 'published')
      where id in (${sql.join(stories)})`.execute(db);
  }
}

/**
 * Sets the reply count of every comment that has replies in these stories, from one grouped
 * scan. A comment without replies keeps its count: 0 for one added now, and an import never
 * removes a listed reply from a comment already here.
 */
async function recountReplies(db: Kysely<Database>, inStories: RawBuilder<unknown>): Promise<void> {
  await sql`update comments set reply_count = r.n
    from (select parent_id, sum(case when status in ${LISTED} then 1 else 0 end) as n
      from comments where ${inStories} and parent_id is not null group by parent_id) r
    where comments.id = r.parent_id and comments.reply_count <> r.n`.execute(db);
}
