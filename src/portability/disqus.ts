import type { CommentStatus } from "../store/schema.js";
import { Ingest, type PortabilityDeps, type SaveProgress, contentKey, type ImportedAuthor, type ImportedThread } from "./ingest.js";
import type { ImportReport } from "./report.js";
import type { TextSource } from "./source.js";
import { type XmlNode, attr, child, textOf, xmlRecords } from "./xml.js";

const RECORDS = new Set(["thread", "post"]);

function flag(node: XmlNode, name: string, report: ImportReport, id: string): boolean {
  const value = textOf(node, name).toLowerCase();
  if (value === "true") return true;
  if (value !== "" && value !== "false") report.problem(`unreadable ${name} flags (read as false)`, `post ${id}: ${value.slice(0, 20)}`);
  return false;
}

function time(value: string): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** Who wrote a post: the Disqus username when there is one, else the e-mail, else the name. */
export function disqusAuthor(node: XmlNode | undefined): ImportedAuthor {
  const name = textOf(node, "name");
  const username = textOf(node, "username");
  const email = textOf(node, "email").toLowerCase();
  const validEmail = /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
  const key = username ? `username:${username}` : validEmail ? `email:${validEmail}` : `name:${name || "anonymous"}`;
  return { key, name: name || username || "Anonymous", email: validEmail };
}

/**
 * Reads a Disqus XML export: `<thread>`s (matched to stories by their link; the
 * publisher's `<id>` is often empty and is not needed) and `<post>`s with their parent,
 * author, date and flags. Deleted threads are left out with their posts, as Disqus hid them.
 */
export async function importDisqus(
  deps: PortabilityDeps,
  source: TextSource,
  run: { siteId: string; importId: string; report: ImportReport; onProgress?: () => void; saveProgress?: SaveProgress },
): Promise<void> {
  const { report } = run;
  const ingest = new Ingest(deps, { source: "disqus", siteId: run.siteId, importId: run.importId, report, saveProgress: run.saveProgress });
  // One small entry per thread, so posts can name threads by id; null for a deleted thread.
  const threads = new Map<string, ImportedThread | null>();
  try {
    for await (const { node } of xmlRecords(source, { records: RECORDS, nestedAsChildren: true, report })) {
      if (node.name.endsWith("thread")) {
        if (node.children.length === 0) continue; // a post's <thread dsq:id=…/> reference
        const key = attr(node, "id");
        if (!key) {
          report.problem("threads without a dsq:id (skipped)");
          continue;
        }
        if (flag(node, "isDeleted", report, key)) {
          threads.set(key, null);
          continue;
        }
        threads.set(key, {
          key,
          url: textOf(node, "link") || textOf(node, "id"),
          title: textOf(node, "title"),
          createdAt: time(textOf(node, "createdAt")),
          closed: flag(node, "isClosed", report, key),
        });
        continue;
      }
      const threadKey = attr(child(node, "thread"), "id");
      const thread = threadKey === undefined ? undefined : threads.get(threadKey);
      const key =
        attr(node, "id") ||
        contentKey(threadKey ?? "", textOf(child(node, "author"), "name"), textOf(node, "createdAt"), textOf(node, "message"));
      if (!attr(node, "id")) report.problem("posts without a dsq:id (an id made from their content)");
      if (thread === null) {
        report.skipped("posts in deleted threads");
        continue;
      }
      if (!thread) {
        report.problem("posts whose thread is not in the file (skipped)", `post ${key}`);
        continue;
      }
      const deleted = flag(node, "isDeleted", report, key);
      const spam = flag(node, "isSpam", report, key);
      let createdAt = time(textOf(node, "createdAt"));
      if (createdAt === null) {
        report.problem("unreadable post dates (the thread's date used)", `post ${key}`);
        createdAt = thread.createdAt ?? deps.clock.now();
      }
      const status: CommentStatus = deleted ? "removed" : spam ? "rejected" : "published";
      await ingest.add({
        key,
        thread,
        parentKey: attr(child(node, "parent"), "id") ?? null,
        author: disqusAuthor(child(node, "author")),
        html: child(node, "message")?.text ?? "",
        createdAt,
        status,
        reason: spam && !deleted ? "disqus_spam" : null,
      });
      run.onProgress?.();
    }
    await ingest.finish();
  } finally {
    await ingest.settled();
  }
}
