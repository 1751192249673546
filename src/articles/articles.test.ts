import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, auth, postComment, signup, testApp } from "../../test/helpers.js";
import { listArticles, parseArticle } from "./content.js";

const DEMO = "riverside-library-reopens";

describe("articles from Markdown files", () => {
  it("reads the front matter: title, byline with via and source, date, tags", () => {
    const article = parseArticle(
      "fallback-slug",
      "---\ntitle: Bridge reopens\nauthor: Ann\nbyline: By Ann Example\nvia: Harbor Gazette\nsource: https://gazette.example/bridge\ndate: 2026-03-01T08:00:00Z\nsection: City News\ntags: [transport, city]\nimage: javascript:alert(1)\n---\nThe bridge **reopened**.\n\nMore later.",
    );
    assert.equal(article.slug, "fallback-slug");
    assert.equal(article.title, "Bridge reopens");
    assert.equal(article.byline, "By Ann Example");
    assert.equal(article.via, "Harbor Gazette");
    assert.equal(article.source, "https://gazette.example/bridge");
    assert.equal(article.date, "2026-03-01T08:00:00.000Z");
    assert.deepEqual(article.tags, ["transport", "city"]);
    assert.equal(article.section, "City News");
    assert.equal(article.image, null, "only http(s) or site-relative images");
    assert.equal(article.summary, "The bridge reopened.");
    assert.match(article.bodyHtml, /<strong>reopened<\/strong>/);
  });

  it("lists a folder's articles newest first and skips files that are not articles", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-articles-"));
    writeFileSync(join(dir, "old.md"), "---\ntitle: Old\ndate: 2020-01-01\n---\nOld.");
    writeFileSync(join(dir, "new.md"), "---\ntitle: New\ndate: 2026-01-01\n---\nNew.");
    writeFileSync(join(dir, "Bad Name.md"), "---\ntitle: Bad\n---\nBad.");
    writeFileSync(join(dir, "notes.txt"), "not an article");
    assert.deepEqual(
      listArticles(dir).map((a) => a.slug),
      ["new", "old"],
    );
  });
});

for (const { dialect, skip } of DIALECTS) {
  describe(`article pages on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());

    it("serves an article with its thread below, rendered on the server, with no inline script", async () => {
      const res = await t.app.inject({ method: "GET", url: `/articles/${DEMO}` });
      assert.equal(res.statusCode, 200);
      const html = res.body;
      assert.match(html, /<h1>Riverside library reopens/);
      assert.match(html, /via <a href="https:\/\/parley.example\/community-desk"/);
      assert.match(html, /<parley-thread id="comments"[^>]*><template shadowrootmode="open">/);
      assert.match(html, /<section class="parley"/);
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      assert.ok(scripts.includes('<script src="/embed.js" async>'));
      assert.ok(scripts.every((tag) => / src="/.test(tag) || /type="application\/json"/.test(tag)), scripts.join());
      assert.doesNotMatch(html, / on[a-z]+="/i, "no inline event handlers");
      assert.doesNotMatch(html, / style="/, "no inline styles");
    });

    it("offers every order of the thread below the article, 'Most helpful' among them", async () => {
      const res = await t.app.inject({ method: "GET", url: `/articles/${DEMO}?sort=best` });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /<a class="p-sort-option" href="\/articles\/[^"]*sort=best#comments" aria-current="true">Most helpful<\/a>/);
    });

    it("lets a reader quote the article, because the page gave the story its text", async () => {
      await t.app.inject({ method: "GET", url: `/articles/${DEMO}` });
      const story = await t.app.inject({
        method: "GET",
        url: `/api/v1/stories/resolve?url=${encodeURIComponent(`${t.config.publicUrl}/articles/${DEMO}`)}`,
      });
      const reader = await signup(t.app, "Quoting reader");
      const res = await postComment(t.app, reader.token, story.json().id, {
        body: "Good to know where the money went.",
        quote: { source: "story", text: "The renovation cost 2.4 million, paid from the city's capital budget." },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.match(res.json().comment.bodyHtml, /<blockquote class="parley-quote">/);
      const page = await t.app.inject({ method: "GET", url: `/articles/${DEMO}`, headers: auth(reader.token) });
      assert.match(page.body, /Good to know where the money went/);
    });

    it("lists the articles on the index page with their comment counts", async () => {
      const res = await t.app.inject({ method: "GET", url: "/" });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`<a href="/articles/${DEMO}">Riverside library reopens`));
      assert.match(res.body, /<a class="count" href="\/articles\/riverside-library-reopens#comments">1 comment<\/a>/);
      assert.match(res.body, /href="\/articles\/harbor-road-ferry-timetable"/);
    });

    it("says on the article page that its thread closed, and when, once the site's policy closes it", async () => {
      const { changeModerationSettings } = await import("../moderation/settings.js");
      await changeModerationSettings(t.app.deps, "default", { policy: { closeAfterDays: 3 } });
      try {
        // The demo article is dated 18 November 2026; three days later its thread is closed.
        const html = (await t.app.inject({ method: "GET", url: `/articles/${DEMO}` })).body;
        if (Date.now() >= Date.parse("2026-11-21T09:00:00Z")) {
          assert.match(html, /Comments closed/);
          assert.match(html, /This thread closed to new comments on 21 November 2026|November 21, 2026/);
        } else {
          assert.match(html, /Comments close on/);
        }
      } finally {
        await changeModerationSettings(t.app.deps, "default", { policy: { closeAfterDays: null } });
      }
    });

    it("answers 404 for an article that does not exist", async () => {
      const res = await t.app.inject({ method: "GET", url: "/articles/no-such-story" });
      assert.equal(res.statusCode, 404);
    });
  });
}
