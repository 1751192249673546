import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";

/** Comment counts of the stories at these canonical URLs: one indexed `IN` lookup. */
export async function countsByUrl(db: Kysely<Database>, urls: string[]): Promise<Map<string, number>> {
  if (urls.length === 0) return new Map();
  const rows = await db.selectFrom("stories").select(["url", "comment_count"]).where("url", "in", urls).execute();
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.url, Math.max(counts.get(row.url) ?? 0, row.comment_count));
  return counts;
}
