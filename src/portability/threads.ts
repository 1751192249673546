import type { Transaction } from "kysely";
import type { Database, NewStory } from "../store/schema.js";
import { canonicalStoryUrl } from "../stories/url.js";
import type { ImportedThread, PortabilityDeps } from "./ingest.js";
import type { ImportReport } from "./report.js";
import * as store from "./store.js";

/**
 * The stories behind the threads of an import. A batch's new threads are resolved together
 * (a handful of statements, not five per thread: on PostgreSQL each one is a round trip),
 * and each thread's story is remembered for the rest of the run; a file has far fewer
 * threads than comments, so that memory stays small.
 */
export class ThreadStories {
  /** Thread key → story id; null for a thread without a usable link. */
  private readonly known = new Map<string, string | null>();

  constructor(
    private readonly deps: PortabilityDeps,
    private readonly run: { source: string; siteId: string; importId: string; report: ImportReport },
  ) {}

  /** The story of each thread (by thread key), creating stories for threads seen the first time. */
  async resolve(db: Transaction<Database>, threads: ImportedThread[]): Promise<ReadonlyMap<string, string | null>> {
    const fresh = new Map<string, ImportedThread>();
    for (const thread of threads) if (!this.known.has(thread.key) && !fresh.has(thread.key)) fresh.set(thread.key, thread);
    if (fresh.size > 0) await this.resolveFresh(db, [...fresh.values()]);
    return this.known;
  }

  private async resolveFresh(db: Transaction<Database>, threads: ImportedThread[]): Promise<void> {
    const { source, siteId, importId, report } = this.run;
    const mapped = await store.findExternal(db, source, "story", threads.map((t) => t.key));
    const unmapped: { thread: ImportedThread; url: URL }[] = [];
    for (const thread of threads) {
      const earlier = mapped.get(thread.key);
      if (earlier) {
        this.known.set(thread.key, earlier.local_id);
        report.existing("stories");
        continue;
      }
      try {
        unmapped.push({ thread, url: canonicalStoryUrl(thread.url) });
      } catch {
        report.problem("threads without a usable link (their comments skipped)", `thread ${thread.key}`);
        this.known.set(thread.key, null);
      }
    }
    if (unmapped.length === 0) return;

    // Stories already here (or made for an earlier thread of this batch), by exact URL.
    const byUrl = new Map<string, string | NewStory>(
      await store.findStoriesByUrls(db, siteId, unmapped.flatMap((u) => store.urlVariants(u.url))),
    );
    const now = this.deps.clock.now();
    const created: NewStory[] = [];
    // Thread key → the story it joins: an id, or a story created for this batch.
    const storyOf = new Map<string, string | NewStory>();
    for (const { thread, url } of unmapped) {
      // The exact URL first, then the other scheme: exports often mix them for one article.
      const match = store.urlVariants(url).map((u) => byUrl.get(u)).find((id) => id !== undefined);
      if (match) {
        storyOf.set(thread.key, match);
        report.existing("stories (matched by URL)");
        continue;
      }
      const story: NewStory = {
        id: this.deps.ids.next(),
        site_id: siteId,
        url: url.toString(),
        title: (thread.title.trim() || url.pathname).slice(0, 300),
        author: null,
        published_at: thread.createdAt,
        body_text: null,
        status: thread.closed ? "closed" : "open",
        premod: 0,
        comment_count: 0,
        created_at: thread.createdAt ?? now,
        updated_at: now,
      };
      created.push(story);
      byUrl.set(story.url, story);
      storyOf.set(thread.key, story);
      report.added("stories");
    }
    // Another writer (the widget resolving the same article) may have created one first: theirs wins.
    const stored = created.length > 0 ? await store.insertStoriesOnce(db, siteId, created) : new Map<string, string>();
    const idOf = (story: string | NewStory) => (typeof story === "string" ? story : (stored.get(story.url) ?? story.id));
    await store.insertExternal(
      db,
      [...storyOf].map(([key, story]) => ({
        source, kind: "story" as const, external_id: key, local_id: idOf(story), parent_external_id: null, import_id: importId, created_at: now,
      })),
    );
    for (const [key, story] of storyOf) this.known.set(key, idOf(story));
  }
}
