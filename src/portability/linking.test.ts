import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, testApp } from "../../test/helpers.js";
import { runImport } from "./importer.js";
import { TextSource } from "./source.js";

/**
 * Replies are linked as they are stored when their parent is already known, and after the
 * file otherwise. A file of several batches (1,000 posts each) exercises both: parents in an
 * earlier batch, earlier in the same batch, later in the file, in another thread, deep
 * chains across batches, a cycle, tombstones with and without replies. The expected tree is
 * worked out here from the file alone.
 */
interface Post {
  key: string;
  thread: string;
  parent: string | null;
  deleted?: boolean;
  spam?: boolean;
}

function posts(count: number): Post[] {
  const out: Post[] = [];
  const at = (i: number) => `p${i}`;
  for (let i = 0; i < count; i++) {
    const post: Post = { key: at(i), thread: `t${i % 3}`, parent: null };
    const rule = i % 10;
    if (rule === 1 && i >= 3) post.parent = at(i - 3); // same batch, mostly
    if (rule === 2 && i >= 1101) post.parent = at(i - 1101); // an earlier batch
    if (rule === 3 && i + 1200 < count) post.parent = at(i + 1200); // a later batch
    if (rule === 4 && i + 3 < count) post.parent = at(i + 3); // later in the same batch
    if (rule === 5 && i >= 1) post.parent = at(i - 1); // another thread: an orphan
    if (rule === 7 && i >= 21) post.parent = at(i - 21); // answers a tombstone (i - 21 ends in 6)
    if (i % 20 === 6) post.deleted = true; // answered: stays as a tombstone
    if (i % 20 === 9) post.deleted = true; // nobody answers: dropped
    if (i % 20 === 10) post.spam = true;
    out.push(post);
    // A chain of 23 across every batch, and a cycle.
    if (i % 100 === 50) out.push({ key: `d${(i - 50) / 100}`, thread: "t3", parent: i === 50 ? null : `d${(i - 150) / 100}` });
  }
  out.push({ key: "ca", thread: "t4", parent: "cb" }, { key: "cb", thread: "t4", parent: "ca" });
  return out;
}

function disqus(list: Post[]): string {
  const threads = [...new Set(list.map((p) => p.thread))]
    .map((t) => `<thread dsq:id="${t}"><link>https://news.example/linking/${t}</link><title>${t}</title></thread>`)
    .join("\n");
  const body = list
    .map(
      (p) =>
        `<post dsq:id="${p.key}"><message><![CDATA[<p>Post ${p.key}</p>]]></message><createdAt>2021-03-01T10:00:00Z</createdAt>` +
        `<isDeleted>${Boolean(p.deleted)}</isDeleted><isSpam>${Boolean(p.spam)}</isSpam>` +
        `<author><name>Reader ${p.key.length}</name><username>r${p.key.length}</username></author>` +
        `<thread dsq:id="${p.thread}"/>${p.parent ? `<parent dsq:id="${p.parent}"/>` : ""}</post>`,
    )
    .join("\n");
  return `<?xml version="1.0"?>\n<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n${threads}\n${body}\n</disqus>\n`;
}

interface Expected {
  parent: string | null;
  depth: number;
  replies: number;
}

/** The tree a correct import stores, computed from the posts alone, without a database. */
function expectedTree(list: Post[]): Map<string, Expected> {
  const byKey = new Map(list.map((p) => [p.key, p]));
  const parentOf = (p: Post) => {
    const parent = p.parent ? byKey.get(p.parent) : undefined;
    return parent && parent.thread === p.thread && parent.key !== p.key ? parent : null;
  };
  const depthOf = (p: Post, seen = new Set<string>()): number | null => {
    const parent = parentOf(p);
    if (!parent) return 0;
    if (seen.has(p.key)) return null; // a cycle
    seen.add(p.key);
    const above = depthOf(parent, seen);
    return above === null ? null : above + 1;
  };
  const kept = list.filter((p) => !p.deleted || list.some((c) => !c.deleted && parentOf(c) === p));
  const tree = new Map<string, Expected>();
  for (const p of kept) {
    const depth = depthOf(p);
    tree.set(p.key, { parent: depth === null ? null : (parentOf(p)?.key ?? null), depth: depth ?? 0, replies: 0 });
  }
  for (const p of kept) {
    const node = tree.get(p.key) as Expected;
    if (node.parent && !p.spam) (tree.get(node.parent) as Expected).replies += 1;
  }
  return tree;
}

async function importText(t: TestApp, text: string) {
  return runImport(t.app.deps, { format: "disqus", source: new TextSource(Readable.from([text]), null), siteId: "default" });
}

async function storedTree(t: TestApp): Promise<Map<string, Expected>> {
  const rows = await t.store.db
    .selectFrom("comments as c")
    .innerJoin("external_ids as e", (j) => j.onRef("e.local_id", "=", "c.id").on("e.kind", "=", "comment"))
    .select(["e.external_id", "c.id", "c.parent_id", "c.depth", "c.reply_count"])
    .execute();
  const keyOf = new Map(rows.map((r) => [r.id, r.external_id]));
  return new Map(
    rows.map((r) => [r.external_id, { parent: r.parent_id ? (keyOf.get(r.parent_id) ?? "?") : null, depth: r.depth, replies: r.reply_count }]),
  );
}

for (const { dialect, skip } of DIALECTS) {
  describe(`linking imported replies on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());

    const first = posts(2300);

    it("links replies across batches, before and after their parents, into the tree the file describes", async () => {
      const summary = await importText(t, disqus(first));
      const expected = expectedTree(first);
      assert.equal(summary.added.comments, first.length);
      assert.equal(summary.skipped["deleted comments without replies"], first.length - expected.size);
      assert.equal(summary.problems["reply cycles broken (kept at the top level)"], 2);
      assert.ok(summary.problems["orphan replies (parent not in the file) kept at the top level"] > 0);
      const stored = await storedTree(t);
      assert.equal(stored.size, expected.size);
      for (const [key, want] of expected) assert.deepEqual(stored.get(key), want, `post ${key}`);
      assert.equal(stored.get("d22")?.depth, 22, "the chain spans every batch");

      const counts = await t.store.db.selectFrom("stories").select(["url", "comment_count"]).where("url", "like", "%/linking/%").execute();
      for (const { url, comment_count } of counts) {
        const thread = url.split("/").at(-1);
        const published = first.filter((p) => p.thread === thread && !p.deleted && !p.spam).length;
        assert.equal(comment_count, published, url);
      }
    });

    it("links the new replies of a second run to comments the first run stored, adding nothing twice", async () => {
      const more: Post[] = [
        { key: "n0", thread: "t0", parent: "p0" },
        { key: "n1", thread: "t1", parent: "p601" },
        { key: "n2", thread: "t3", parent: "d12" },
        { key: "n3", thread: "t0", parent: "n0" },
        { key: "n4", thread: "t0", parent: "p9" }, // its parent was a tombstone nobody answered: dropped
      ];
      const summary = await importText(t, disqus([...first, ...more]));
      assert.deepEqual(summary.added, { comments: more.length });
      const expected = expectedTree([...first, ...more]);
      // The first run dropped p9 before n4 existed, so n4 stays at the top level.
      expected.set("n4", { parent: null, depth: 0, replies: 0 });
      const stored = await storedTree(t);
      for (const key of ["n0", "n1", "n2", "n3", "n4", "p0", "p601", "d12"]) assert.deepEqual(stored.get(key), expected.get(key), `post ${key}`);
      assert.equal(stored.get("n2")?.depth, 13);
      assert.equal(stored.size, expectedTree(first).size + more.length);
    });
  });
}
