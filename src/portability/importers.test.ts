import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, resolveStory, testApp } from "../../test/helpers.js";
import { sharedPath, sharedSkip } from "../../test/shared.js";
import { Readable } from "node:stream";
import { allowlistViolations } from "../../test/security/allowlist.js";
import { plainText, renderMarkdown } from "../comments/render.js";
import { type ImportFormat, runImport } from "./importer.js";
import { TextSource } from "./source.js";

const FIXTURES = join(import.meta.dirname, "../../test/fixtures/imports");
/** The real exports of the shared data folder (see its README); tests using them skip when absent. */
const shared = (path: string) => sharedPath("data", "imports", path);
const noShared = sharedSkip("the real Disqus and WordPress exports", "data", "imports");

async function load(t: TestApp, format: ImportFormat, path: string) {
  return runImport(t.app.deps, { format, source: TextSource.fromFile(path), siteId: "default" });
}

async function commentsByBody(t: TestApp) {
  const rows = await t.store.db.selectFrom("comments").selectAll().execute();
  return { rows, find: (text: string) => rows.find((r) => plainText(r.body).includes(text)) };
}

for (const { dialect, skip } of DIALECTS) {
  describe(`importing Disqus and WordPress exports on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());

    it("imports a damaged Disqus export, counting each problem and keeping the rest", async () => {
      const existing = await resolveStory(t.app, "/politics/council-vote");
      const summary = await load(t, "disqus", join(FIXTURES, "disqus-damaged.xml"));
      assert.equal(summary.problems["stray bytes before <?xml (ignored)"], 1);
      assert.equal(summary.problems["DOCTYPE ignored (its entities are never resolved)"], 1);
      assert.equal(summary.problems["duplicate comment ids (later copies skipped)"], 1);
      assert.equal(summary.problems["posts whose thread is not in the file (skipped)"], 2, "p9 and the damaged p12");
      assert.equal(summary.problems["posts without a dsq:id (an id made from their content)"], 1);
      assert.equal(summary.problems["orphan replies (parent not in the file) kept at the top level"], 1);
      assert.equal(summary.problems["threads without a usable link (their comments skipped)"], 1);
      assert.ok(summary.problems["XML errors (reading went on)"] >= 1);
      assert.equal(summary.skipped["posts in deleted threads"], 1);
      assert.equal(summary.skipped["deleted comments without replies"], 1);
      assert.equal(summary.existing["stories (matched by URL)"], 1, "the thread joins the story already here");
      assert.equal(summary.added.stories, 1);

      const { rows, find } = await commentsByBody(t);
      const first = find("First «quoted» comment");
      assert.ok(first, "CDATA HTML with entities becomes Markdown");
      assert.equal(first.story_id, existing);
      assert.equal(first.created_at, Date.parse("2020-01-01T11:00:00Z"));
      assert.match(first.body_html, /<a href="https:\/\/example.com\/x"/);
      assert.ok(plainText(first.body).includes("\\o/ ¯\\_(ツ)_/¯ *not bold*"), "Markdown characters stay text");
      const reply = find("before its parent");
      assert.equal(reply?.parent_id, first.id, "a reply before its parent is linked after the file is read");
      assert.equal(reply?.depth, 1);
      const entities = find("Plain text with entities");
      assert.ok(entities && !/root:/.test(entities.body), "the external entity is never resolved");
      assert.ok(entities.body.includes("xxe"), "the unknown entity stays literal text");
      const tombstone = rows.find((r) => r.status === "removed");
      assert.ok(tombstone, "a deleted comment with a reply stays as a tombstone");
      assert.equal(tombstone.body, "");
      assert.equal(find("An answer to a deleted comment")?.parent_id, tombstone.id);
      assert.equal(find("Buy cheap watches")?.status, "rejected");
      assert.equal(find("Orphan: my parent")?.parent_id, null);
      assert.ok(find("After the damage, reading goes on"));
      assert.equal(find("No dsq:id at all")?.created_at, Date.parse("2020-02-01T10:00:00Z"), "bad date → thread date");

      const story = await t.app.inject({ method: "GET", url: `/api/v1/stories/${existing}` });
      assert.equal(story.json().commentCount, 4, "p1, p2, p3 and p5 are published");
      const sport = await t.store.db.selectFrom("stories").selectAll().where("url", "=", "http://news.example/sport/final").executeTakeFirstOrThrow();
      assert.equal(sport.title, "The final");

      const ann = await t.store.db
        .selectFrom("unclaimed_users")
        .innerJoin("users", "users.id", "unclaimed_users.user_id")
        .select(["users.display_name", "users.email", "unclaimed_users.claim_email"])
        .where("unclaimed_users.claim_email", "=", "ann@example.com")
        .execute();
      assert.deepEqual(ann, [{ display_name: "Ann", email: null, claim_email: "ann@example.com" }]);

      const again = await load(t, "disqus", join(FIXTURES, "disqus-damaged.xml"));
      assert.deepEqual(again.added, {}, "a second run adds nothing");
      assert.equal((await t.store.db.selectFrom("comments").select("id").execute()).length, rows.length);
    });

    it("imports a WordPress export with statuses, pingbacks and duplicate ids", async () => {
      const summary = await load(t, "wordpress", join(FIXTURES, "wordpress-damaged.xml"));
      assert.equal(summary.skipped.pingbacks, 1);
      assert.equal(summary.problems["duplicate comment ids (later copies skipped)"], 1);
      assert.equal(summary.problems["unknown comment_approved values (held as pending)"], 1);
      assert.equal(summary.problems["comments without a readable date (the post's date used)"], 2);
      assert.equal(summary.problems["orphan replies (parent not in the file) kept at the top level"], 2);
      const { find } = await commentsByBody(t);
      const first = find("Backslashes survive");
      assert.ok(first);
      assert.equal(plainText(first.body).trim(), "Backslashes survive: \\o/ ¯\\_(ツ)_/¯\nSecond line ’ [...]");
      assert.equal(find("Awaiting moderation")?.status, "pending");
      assert.equal(find("Awaiting moderation")?.parent_id, first.id);
      assert.equal(find("cheap pills")?.status, "rejected");
      assert.equal(find("cheap pills")?.created_at, Date.parse("2020-01-01T14:00:00Z"));
      assert.equal(find("A reply to the pingback")?.parent_id, null);
      assert.equal(find("in the bin"), undefined, "a trashed comment without replies is not kept");
      assert.equal(find("Orphan reply")?.status, "pending");
    });

    it("stores only allowlisted HTML, the HTML the renderer gives for the stored source", async () => {
      const bodies = [
        '<p>Plain <b>bold</b> and <i>italic</i>, see https://news.example/a and <a href="https://news.example/b">b</a>.</p>',
        '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">click</a>',
        '<a href="jav&#x09;ascript:alert(1)">tab</a><svg onload=alert(1)><iframe src="https://evil.example"></iframe>',
        '<p style="x" onclick="alert(1)">styled</p><a href="data:text/html,<script>alert(1)</script>">data</a>',
        "<b><i>unclosed <a href='https://news.example/c'>nest</b> &lt;script&gt; &amp;lt; *stars* _under_ [br](acket)",
        "<blockquote>quoted</blockquote><ul><li>one</li><li>two</li></ul><pre>code\nlines</pre><code>`tick`</code>",
        "<!-- comment --><![CDATA[x]]><?php echo 1; ?><style>p{}</style>text after",
        "www.example.org, reader@example.com, <a href=\"//evil.example\">protocol-relative</a> <a href=\"/rel\">relative</a>",
      ];
      const posts = bodies
        .map((html, i) => `<post dsq:id="h${i}"><message><![CDATA[${html.replace(/]]>/g, "]]]]><![CDATA[>")}]]></message><createdAt>2021-01-01T00:00:00Z</createdAt><author><name>Hostile</name></author><thread dsq:id="h"/></post>`)
        .join("\n");
      const xml = `<?xml version="1.0"?><disqus xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="h"><link>https://news.example/hostile</link><title>Hostile</title></thread>${posts}</disqus>`;
      const summary = await runImport(t.app.deps, { format: "disqus", source: new TextSource(Readable.from([xml]), null), siteId: "default" });
      assert.equal(summary.added.comments, bodies.length);
      const rows = await t.store.db.selectFrom("comments").select(["body", "body_html"]).where("author_id", "in", (eb) => eb.selectFrom("users").select("id").where("display_name", "=", "Hostile")).execute();
      assert.equal(rows.length, bodies.length);
      for (const row of rows) {
        assert.deepEqual(allowlistViolations(row.body_html), [], row.body_html);
        assert.equal(row.body_html, renderMarkdown(row.body));
      }
    });

    it("reads the real exports of the shared folder", { skip: noShared }, async () => {
      const radio = await load(t, "disqus", shared("remark42/disqus.xml"));
      assert.equal(radio.added.comments, 5, "4 good posts and the spam one (held back as rejected)");
      const podcast = await t.store.db
        .selectFrom("stories")
        .select(["id", "comment_count"])
        .where("url", "=", "https://radio-t.com/p/2011/03/05/podcast-229")
        .executeTakeFirstOrThrow();
      assert.equal(podcast.comment_count, 2, "remark42's oracle: two comments on the https thread");

      const slashes = await load(t, "wordpress", shared("wordpress-importer/slashes.xml"));
      assert.equal(slashes.added.comments, 1);
      const { find } = await commentsByBody(t);
      assert.ok(find("\\o/ ¯\\_(ツ)_/¯"), "the WordPress importer's own oracle: backslashes survive");

      const theme = await load(t, "wordpress", shared("wordpress-importer/theme-unit-test-data.xml"));
      assert.equal(theme.added.comments, 29, "33 records less 2 pingbacks and 2 trackbacks");
      const deepest = await t.store.db.selectFrom("comments").select((eb) => eb.fn.max("depth").as("depth")).executeTakeFirstOrThrow();
      assert.equal(Number(deepest.depth), 9, "a chain 10 comments long");

      const fragment = await load(t, "wordpress", shared("remark42/wordpress-md-fragment.xml"));
      assert.equal(fragment.added.comments, 2, "3 records, one a duplicate id");

      const evanlin = await load(t, "disqus", shared("disqus-to-github-issues-go/evanlin_20210517.xml"));
      assert.equal(evanlin.added.comments, 189);
      assert.equal(evanlin.skipped["deleted comments without replies"], 7, "8 deleted posts, one of them answered");
      assert.deepEqual(evanlin.problems, {});
    });
  });
}
