import type { CommentStatus } from "../store/schema.js";
import { Ingest, type PortabilityDeps, type SaveProgress, type ImportedAuthor, type ImportedThread } from "./ingest.js";
import type { ImportReport } from "./report.js";
import type { TextSource } from "./source.js";
import { contentKey } from "./ingest.js";
import { type XmlNode, child, localName, textOf, xmlRecords } from "./xml.js";

const RECORDS = new Set(["channel", "item", "comment"]);
/** Post bodies and meta can be large and are not needed: their text is not kept. */
const IGNORED = new Set(["encoded", "postmeta", "commentmeta", "description"]);

const STATUSES: Record<string, { status: CommentStatus; reason: string | null }> = {
  "1": { status: "published", reason: null },
  approve: { status: "published", reason: null },
  "0": { status: "pending", reason: "wordpress_unapproved" },
  hold: { status: "pending", reason: "wordpress_unapproved" },
  spam: { status: "rejected", reason: "wordpress_spam" },
  trash: { status: "removed", reason: null },
  "post-trashed": { status: "removed", reason: null },
};

/** WordPress writes `YYYY-MM-DD HH:MM:SS`; the `_gmt` field is UTC, the other local time. */
function wpTime(value: string): number | null {
  if (!/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?$/.test(value) || value.startsWith("0000")) return null;
  const t = Date.parse(`${value.replace(" ", "T")}Z`);
  return Number.isNaN(t) ? null : t;
}

/**
 * The blog an export came from. WordPress numbers posts and comments per blog, so ids are
 * kept as `blog|id`: two blogs imported into one Parley never collide.
 */
function blogOf(channel: XmlNode | undefined, item: XmlNode | undefined): string {
  const named = textOf(channel, "base_blog_url") || textOf(channel, "link");
  if (named) return named.replace(/\/+$/, "");
  try {
    return new URL(textOf(item, "link") || textOf(item, "guid")).origin;
  } catch {
    return "unknown-blog";
  }
}

function threadOf(blog: string, item: XmlNode | undefined): ImportedThread | null {
  if (!item) return null;
  const id = textOf(item, "post_id") || textOf(item, "guid") || textOf(item, "link");
  if (!id) return null;
  return {
    key: `${blog}|${id}`,
    url: textOf(item, "link") || textOf(item, "guid"),
    title: textOf(item, "title"),
    createdAt: wpTime(textOf(item, "post_date_gmt")) ?? wpTime(textOf(item, "post_date")),
    closed: textOf(item, "comment_status") === "closed",
  };
}

function wpAuthor(blog: string, node: XmlNode): ImportedAuthor {
  const name = textOf(node, "comment_author");
  const email = textOf(node, "comment_author_email").toLowerCase();
  const validEmail = /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
  const userId = textOf(node, "comment_user_id");
  const key = userId && userId !== "0" ? `user:${blog}|${userId}` : validEmail ? `email:${validEmail}` : `name:${name || "anonymous"}`;
  return { key, name: name || "Anonymous", email: validEmail };
}

/**
 * Reads a WordPress WXR export (any version, http or https `wp` namespace, even a
 * fragment without `<rss>`): each `<item>` with comments becomes a story matched by its
 * link; each `<wp:comment>` a comment. Pingbacks and trackbacks are left out.
 */
export async function importWordpress(
  deps: PortabilityDeps,
  source: TextSource,
  run: { siteId: string; importId: string; report: ImportReport; onProgress?: () => void; saveProgress?: SaveProgress },
): Promise<void> {
  const { report } = run;
  const ingest = new Ingest(deps, { source: "wordpress", siteId: run.siteId, importId: run.importId, report, saveProgress: run.saveProgress });
  try {
    for await (const { node, ancestors } of xmlRecords(source, { records: RECORDS, ignoreText: IGNORED, report })) {
      if (localName(node.name) !== "comment") continue;
      const item = ancestors.findLast((a) => localName(a.name) === "item");
      const blog = blogOf(ancestors.find((a) => localName(a.name) === "channel"), item);
      const id = textOf(node, "comment_id");
      if (!id) report.problem("comments without a comment_id (an id made from their content)");
      const key = `${blog}|${id || contentKey(textOf(item, "post_id"), textOf(node, "comment_author"), textOf(node, "comment_date_gmt"), textOf(node, "comment_content"))}`;
      const type = textOf(node, "comment_type");
      if (type === "pingback" || type === "trackback") {
        report.skipped(`${type}s`);
        continue;
      }
      const thread = threadOf(blog, item);
      if (!thread) {
        report.problem("comments outside a post with an id or link (skipped)", `comment ${key}`);
        continue;
      }
      const approved = textOf(node, "comment_approved") || "1";
      let verdict = STATUSES[approved];
      if (!verdict) {
        report.problem("unknown comment_approved values (held as pending)", `comment ${key}: ${approved.slice(0, 20)}`);
        verdict = { status: "pending", reason: "wordpress_unknown_status" };
      }
      let createdAt = wpTime(textOf(node, "comment_date_gmt")) ?? wpTime(textOf(node, "comment_date"));
      if (createdAt === null) {
        report.problem("comments without a readable date (the post's date used)", `comment ${key}`);
        createdAt = thread.createdAt ?? deps.clock.now();
      }
      const parent = textOf(node, "comment_parent");
      await ingest.add({
        key,
        thread,
        parentKey: parent && parent !== "0" ? `${blog}|${parent}` : null,
        author: wpAuthor(blog, node),
        html: child(node, "comment_content")?.text ?? "",
        createdAt,
        status: verdict.status,
        reason: verdict.reason,
      });
      run.onProgress?.();
    }
    await ingest.finish();
  } finally {
    await ingest.settled();
  }
}
