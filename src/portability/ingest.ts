import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { CommentStatus, Database } from "../store/schema.js";
import { insertStoryOnce } from "../stories/store.js";
import { canonicalStoryUrl } from "../stories/url.js";
import { importedBody } from "./html.js";
import { linkReplies } from "./link.js";
import type { ImportReport } from "./report.js";
import * as store from "./store.js";

/** A thread of the source system: becomes (or is matched to) a story by canonical URL. */
export interface ImportedThread {
  key: string;
  url: string;
  title: string;
  createdAt: number | null;
  closed: boolean;
}

/** An author: `key` identifies them across the file (a username, an e-mail, a name). */
export interface ImportedAuthor {
  key: string;
  name: string;
  email: string | null;
}

export interface ImportedComment {
  key: string;
  thread: ImportedThread;
  parentKey: string | null;
  author: ImportedAuthor;
  html: string;
  createdAt: number;
  status: CommentStatus;
  /** Why the source hid it (spam, unapproved), kept as a moderation reason. */
  reason: string | null;
}

/** What an import needs; no scorer or rate limiter, so the CLI starts fast. */
export type PortabilityDeps = Pick<Deps, "config" | "store" | "clock" | "ids">;

const BATCH = 500;

/** A stable id for a record the source left without one, so a re-import still recognises it. */
export function contentKey(...parts: string[]): string {
  return `content:${createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32)}`;
}

/**
 * Writes what an importer reads, in batches of one transaction each. Every story, comment
 * and author gets an external id (source, kind, id in the source), so a second run finds
 * what the first added and adds nothing twice; nothing that exists is changed or deleted.
 * Replies are linked to their parents after the whole file is read, in SQL, so a reply
 * may come before its parent and memory does not grow with the number of comments.
 */
export class Ingest {
  private pending: ImportedComment[] = [];
  private readonly stories = new Map<string, string | null>();
  private readonly users = new Map<string, string>();
  readonly touchedStories = new Set<string>();

  constructor(
    private readonly deps: PortabilityDeps,
    private readonly run: { source: string; siteId: string; importId: string; report: ImportReport },
  ) {}

  async add(comment: ImportedComment): Promise<void> {
    this.pending.push(comment);
    if (this.pending.length >= BATCH) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await linkReplies(this.deps.store, { ...this.run, stories: [...this.touchedStories] });
  }

  private async storyFor(db: Transaction<Database>, thread: ImportedThread): Promise<string | null> {
    const known = this.stories.get(thread.key);
    if (known !== undefined) return known;
    const { source, siteId, importId, report } = this.run;
    let storyId = (await store.findExternal(db, source, "story", [thread.key])).get(thread.key)?.local_id ?? null;
    if (storyId) report.existing("stories");
    else {
      let url: URL | null = null;
      try {
        url = canonicalStoryUrl(thread.url);
      } catch {
        report.problem("threads without a usable link (their comments skipped)", `thread ${thread.key}`);
      }
      if (url) {
        const match = await store.findStoryByUrls(db, siteId, store.urlVariants(url));
        if (match) {
          storyId = match.id;
          report.existing("stories (matched by URL)");
        } else {
          const now = this.deps.clock.now();
          const created = await insertStoryOnce(db, {
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
          });
          storyId = created.id;
          report.added("stories");
        }
        await store.insertExternal(db, [
          { source, kind: "story", external_id: thread.key, local_id: storyId, parent_external_id: null, import_id: importId, created_at: this.deps.clock.now() },
        ]);
      }
    }
    this.stories.set(thread.key, storyId);
    return storyId;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    // One transaction per batch, stories included: one commit (one fsync) per 500 comments.
    await this.deps.store.db.transaction().execute((trx) => this.write(trx, batch));
  }

  private async write(db: Transaction<Database>, batch: ImportedComment[]): Promise<void> {
    const { source, importId, report } = this.run;
    const placed: { comment: ImportedComment; storyId: string }[] = [];
    for (const comment of batch) {
      const storyId = await this.storyFor(db, comment.thread);
      if (storyId) placed.push({ comment, storyId });
      else report.skipped("comments in threads without a usable link");
    }
    const seen = await store.findExternal(db, source, "comment", placed.map((p) => p.comment.key));
    const fresh: typeof placed = [];
    const inBatch = new Set<string>();
    for (const p of placed) {
      const earlier = seen.get(p.comment.key);
      if (inBatch.has(p.comment.key) || earlier?.import_id === importId) {
        report.problem("duplicate comment ids (later copies skipped)", `id ${p.comment.key}`);
      } else if (earlier) report.existing("comments");
      else {
        inBatch.add(p.comment.key);
        fresh.push(p);
      }
    }
    if (fresh.length === 0) return;
    const authors = await this.authorIds(db, fresh.map((p) => p.comment.author));
    const now = this.deps.clock.now();
    const rows = fresh.map(({ comment, storyId }) => {
      const removed = comment.status === "removed";
      const { body, bodyHtml } = removed ? { body: "", bodyHtml: "" } : importedBody(comment.html);
      const parentKey = comment.parentKey === comment.key ? null : comment.parentKey;
      if (parentKey === null && comment.parentKey !== null) report.problem("comments that reply to themselves", comment.key);
      return {
        comment: {
          id: this.deps.ids.next(),
          site_id: this.run.siteId,
          story_id: storyId,
          parent_id: null,
          // -1 marks a reply whose parent is linked once the whole file is read.
          depth: parentKey ? -1 : 0,
          author_id: authors.get(comment.author.key) as string,
          body,
          body_html: bodyHtml,
          quote: null,
          status: comment.status,
          scores: null,
          reasons: comment.reason ? JSON.stringify([{ phase: "import", code: comment.reason }]) : null,
          created_at: comment.createdAt,
          edited_at: null,
        },
        parentKey,
        key: comment.key,
      };
    });
    await store.insertComments(db, rows.map((r) => r.comment));
    await store.insertExternal(
      db,
      rows.map((r) => ({
        source,
        kind: "comment" as const,
        external_id: r.key,
        local_id: r.comment.id,
        parent_external_id: r.parentKey,
        import_id: importId,
        created_at: now,
      })),
    );
    for (const { comment } of rows) this.touchedStories.add(comment.story_id);
    report.added("comments", rows.length);
  }

  /** The local user of each author, creating unclaimed users for authors seen the first time. */
  private async authorIds(trx: Transaction<Database>, authors: ImportedAuthor[]): Promise<Map<string, string>> {
    const { source, importId, report } = this.run;
    // The cache only saves lookups; a bound keeps memory flat on huge imports.
    if (this.users.size > 50_000) this.users.clear();
    const wanted = [...new Set(authors.map((a) => a.key))].filter((k) => !this.users.has(k));
    const found = await store.findExternal(trx, source, "user", wanted);
    for (const [key, row] of found) this.users.set(key, row.local_id);
    const now = this.deps.clock.now();
    const created = new Map<string, ImportedAuthor>();
    for (const author of authors) if (!this.users.has(author.key) && !created.has(author.key)) created.set(author.key, author);
    if (created.size > 0) {
      const users = [...created.values()].map((author) => ({ author, id: this.deps.ids.next() }));
      await store.insertUnclaimedUsers(trx, source, now, users);
      await store.insertExternal(
        trx,
        users.map(({ author, id }) => ({
          source, kind: "user" as const, external_id: author.key, local_id: id, parent_external_id: null, import_id: importId, created_at: now,
        })),
      );
      for (const { author, id } of users) this.users.set(author.key, id);
      report.added("unclaimed users", users.length);
    }
    const result = new Map<string, string>();
    for (const author of authors) {
      const id = this.users.get(author.key) ?? found.get(author.key)?.local_id;
      if (id) result.set(author.key, id);
    }
    for (const [key, row] of found) result.set(key, row.local_id);
    return result;
  }
}
