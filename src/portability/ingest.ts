import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { CommentStatus, Database } from "../store/schema.js";
import { importedBodies, importedBody } from "./html.js";
import { linkReplies } from "./link.js";
import type { ImportReport } from "./report.js";
import * as store from "./store.js";
import { ThreadStories } from "./threads.js";

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

/** Records an import's progress, on the transaction of the batch just written. */
export type SaveProgress = (db: Transaction<Database>) => Promise<void>;

/** What an import needs; no scorer or rate limiter, so the CLI starts fast. */
export type PortabilityDeps = Pick<Deps, "config" | "store" | "clock" | "ids">;

/**
 * Comments per transaction: one commit (one fsync, one write of each index page touched)
 * per 1,000 comments, while a server writing beside the import waits at most one batch.
 */
const BATCH = 1000;

/** A stable id for a record the source left without one, so a re-import still recognises it. */
export function contentKey(...parts: string[]): string {
  return `content:${createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32)}`;
}

type Body = { body: string; bodyHtml: string };

/** A deleted comment is kept, if at all, as an empty tombstone. */
const bodyOf = (comment: ImportedComment): Body => (comment.status === "removed" ? { body: "", bodyHtml: "" } : importedBody(comment.html));

/** Where a comment of the current batch sits: enough to link a reply to it. */
interface Placed {
  id: string;
  storyId: string;
  /** -1 until known: a reply whose parent comes later in the file is linked at the end. */
  depth: number;
}

/**
 * Writes what an importer reads, in batches of one transaction each. Every story, comment
 * and author gets an external id (source, kind, id in the source), so a second run finds
 * what the first added and adds nothing twice; nothing that exists is changed or deleted.
 * A reply whose parent is already stored (or earlier in its batch) is stored linked, with
 * its depth; one that comes before its parent is linked after the whole file is read, in
 * SQL, so memory does not grow with the number of comments.
 */
export class Ingest {
  private pending: ImportedComment[] = [];
  /** The batch being written: the next one is prepared meanwhile, and written after it. */
  private writing: Promise<void> = Promise.resolve();
  private written = 0;
  private nextAnalysis = 1;
  private readonly threads: ThreadStories;
  private readonly users = new Map<string, string>();
  readonly touchedStories = new Set<string>();

  constructor(
    private readonly deps: PortabilityDeps,
    private readonly run: { source: string; siteId: string; importId: string; report: ImportReport; saveProgress?: SaveProgress },
  ) {
    this.threads = new ThreadStories(deps, run);
  }

  async add(comment: ImportedComment): Promise<void> {
    this.pending.push(comment);
    if (this.pending.length >= BATCH) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
    await linkReplies(this.deps.store, { ...this.run, stories: [...this.touchedStories] });
  }

  /** Waits for the batch being written (when there is one), whatever becomes of it: a failed run leaves nothing running. */
  async settled(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let bodies: Map<ImportedComment, Body>;
    try {
      bodies = await this.convertBodies(batch);
    } catch (error) {
      await this.settled();
      throw error;
    }
    // The previous batch first: this one may answer its comments.
    await this.writing;
    // Once 1, 8, 64… batches are written: statistics that keep the lookups indexed as the tables grow.
    if (this.written === this.nextAnalysis) {
      this.nextAnalysis *= 8;
      await store.analyzeImportTables(this.deps.store.db);
    }
    const writing = this.deps.store.db.transaction().execute(async (trx) => {
      await this.write(trx, batch, bodies);
      await this.run.saveProgress?.(trx);
      this.written += 1;
    });
    writing.catch(() => undefined); // rethrown where it is awaited: by the next flush or finish()
    this.writing = writing;
  }

  /**
   * The stored source and HTML of the batch's comments not imported before, converted
   * outside the transaction (it is most of the work) while the previous batch is written.
   * The check inside the transaction decides; a comment it finds new but missed here is
   * converted there.
   */
  private async convertBodies(batch: ImportedComment[]): Promise<Map<ImportedComment, Body>> {
    const known = await store.findExternal(this.deps.store.db, this.run.source, "comment", batch.map((c) => c.key));
    const fresh = batch.filter((c) => !known.has(c.key) && c.status !== "removed");
    const converted = importedBodies(fresh.map((c) => c.html));
    return new Map(fresh.map((c, i) => [c, converted[i]]));
  }

  private async write(db: Transaction<Database>, batch: ImportedComment[], bodies: Map<ImportedComment, Body>): Promise<void> {
    const { source, importId, report } = this.run;
    const stories = await this.threads.resolve(db, batch.map((c) => c.thread));
    const placed: { comment: ImportedComment; storyId: string }[] = [];
    for (const comment of batch) {
      const storyId = stories.get(comment.thread.key);
      if (storyId) placed.push({ comment, storyId });
      else report.skipped("comments in threads without a usable link");
    }
    // One lookup for the batch's own ids (added before?) and its replies' parents.
    const parentKeys = placed.flatMap((p) => (p.comment.parentKey ? [p.comment.parentKey] : []));
    const known = await store.findComments(db, source, [...placed.map((p) => p.comment.key), ...parentKeys]);
    const fresh = new Map<string, { comment: ImportedComment; storyId: string; id: string }>();
    for (const p of placed) {
      const earlier = known.get(p.comment.key);
      if (fresh.has(p.comment.key) || earlier?.import_id === importId) {
        report.problem("duplicate comment ids (later copies skipped)", `id ${p.comment.key}`);
      } else if (earlier) report.existing("comments");
      else fresh.set(p.comment.key, { ...p, id: this.deps.ids.next() });
    }
    if (fresh.size === 0) return;
    const authors = await this.authorIds(db, [...fresh.values()].map((p) => p.comment.author));
    const now = this.deps.clock.now();
    const inBatch = new Map<string, Placed>();
    // The parent stored earlier, or written earlier in this batch; a parent later in the
    // file (even later in this batch) is linked at the end.
    const parentOf = (key: string, storyId: string): { parentId: string | null; depth: number } => {
      const stored = known.get(key);
      const parent = inBatch.get(key) ?? (stored?.story_id ? { id: stored.local_id, storyId: stored.story_id, depth: stored.depth ?? -1 } : undefined);
      // A parent in another story is no parent: the reply ends up at the top level.
      if (!parent || parent.storyId !== storyId) return { parentId: null, depth: -1 };
      return { parentId: parent.id, depth: parent.depth >= 0 ? parent.depth + 1 : -1 };
    };
    const rows = [...fresh.values()].map(({ comment, storyId, id }) => {
      const { body, bodyHtml } = bodies.get(comment) ?? bodyOf(comment);
      const parentKey = comment.parentKey === comment.key ? null : comment.parentKey;
      if (parentKey === null && comment.parentKey !== null) report.problem("comments that reply to themselves", comment.key);
      const { parentId, depth } = parentKey ? parentOf(parentKey, storyId) : { parentId: null, depth: 0 };
      inBatch.set(comment.key, { id, storyId, depth });
      return {
        comment: {
          id,
          site_id: this.run.siteId,
          story_id: storyId,
          parent_id: parentId,
          depth,
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
