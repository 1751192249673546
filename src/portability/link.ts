import type { Store } from "../store/db.js";
import type { ImportReport } from "./report.js";
import {
  analyzeImportTables,
  breakReplyCycles,
  dropUnansweredTombstones,
  keepOrphansAtTop,
  linkWaitingReplies,
  placeNextReplyLevel,
  recountImportedReplies,
  recountStoryComments,
} from "./store.js";

const STORY_CHUNK = 200;

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
    await linkWaitingReplies(db, source, stories);

    const orphaned = await keepOrphansAtTop(db, stories);
    if (orphaned) report.problem("orphan replies (parent not in the file) kept at the top level", undefined, orphaned);

    // Each pass places one more level of the reply tree.
    while ((await placeNextReplyLevel(db, stories)) > 0);
    const broken = await breakReplyCycles(db, stories);
    if (broken) report.problem("reply cycles broken (kept at the top level)", undefined, broken);

    // A deleted comment stays only as the tombstone its replies hang from.
    for (;;) {
      const n = await dropUnansweredTombstones(db, stories, importId);
      if (n === 0) break;
      report.skipped("deleted comments without replies", n);
    }
    await recountImportedReplies(db, stories);
    await recountStoryComments(db, stories);
  }
}
