import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { buildWeb } from "../../scripts/build-web.mjs";
import { DIALECTS, type TestApp, auth, post, resolveStory, signup, testApp } from "../../test/helpers.js";
import type { ThreadState } from "../shared/thread.js";

/** The `<script>` tags of a page that would run: all but those of `type="application/json"`. */
const runnableScripts = (html: string) =>
  [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !/type="application\/json"/.test(tag));

const stateOf = (html: string) =>
  JSON.parse(/<script type="application\/json" class="p-state">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "null") as ThreadState;

for (const { dialect, skip } of DIALECTS) {
  describe(`server-rendered threads and counts on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect)));
    after(() => t.close());

    it("renders a thread's first page as HTML that needs no JavaScript, with the data the widget takes over", async () => {
      const storyId = await resolveStory(t.app, "/council-vote");
      const ann = await signup(t.app, "Ann Example");
      const top = await post(t.app, ann.token, storyId, "The council vote was **close**.");
      await post(t.app, ann.token, storyId, "And the minutes are online.", top.id);
      const res = await t.app.inject({
        method: "GET",
        url: `/embed/threads?url=${encodeURIComponent("https://news.example/council-vote")}`,
      });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers["content-type"] as string, /text\/html/);
      const html = res.body;
      assert.match(html, /<html lang="en">/);
      assert.match(html, /<h2 class="p-title" id="p-title">2 comments<\/h2>/);
      assert.match(html, /<p>The council vote was <strong>close<\/strong>.<\/p>/);
      assert.match(html, new RegExp(`id="comment-${top.id}"`));
      assert.match(html, /<ol class="p-replies">.*And the minutes are online/s);
      assert.match(html, /<time datetime="[^"]+" title="[^"]+">/, "relative time with the exact time on hover");
      assert.deepEqual(runnableScripts(html), []);
      const state = stateOf(html);
      assert.equal(state.story.id, storyId);
      assert.equal(state.page.items[0].id, top.id);
      assert.equal(state.page.items[0].replies?.items.length, 1);
    });

    it("shows a comment's reactions as one summary, the widget's single control, with the counts spelled out", async () => {
      const storyId = await resolveStory(t.app);
      const ann = await signup(t.app, "Ann Author");
      const c = await post(t.app, ann.token, storyId, "A comment readers react to.");
      for (const [name, kind] of [["Rae", "insightful"], ["Ravi", "insightful"], ["Rosa", "like"]] as const) {
        const reader = await signup(t.app, name);
        const res = await t.app.inject({ method: "POST", url: `/api/v1/comments/${c.id}/reactions`, headers: auth(reader.token), payload: { kind } });
        assert.ok(res.statusCode < 300, res.body);
      }
      const html = (await t.app.inject({ method: "GET", url: `/embed/threads?story=${storyId}&fragment=true` })).body;
      const spans = html.match(/<span class="p-react"/g) ?? [];
      assert.equal(spans.length, 1, "one reactions summary per comment");
      assert.match(html, /<span class="p-react" title="Reactions: Like 1, Insightful 2">.*? 3<span class="p-sr">/);
    });

    it("never lets a comment close the data block or add markup", async () => {
      const storyId = await resolveStory(t.app);
      const bob = await signup(t.app, 'Bob </script><script>alert(1)</script>');
      await post(t.app, bob.token, storyId, "</script><img src=x onerror=alert(1)> <b>bold?</b>");
      const res = await t.app.inject({ method: "GET", url: `/embed/threads?story=${storyId}&fragment=true` });
      assert.equal(res.statusCode, 200);
      assert.doesNotMatch(res.body, /<img src=x/);
      assert.doesNotMatch(res.body, /<b>bold/);
      assert.deepEqual(runnableScripts(res.body), []);
      assert.equal((res.body.match(/<\/script>/g) ?? []).length, 1, "only the data block's own end tag");
      assert.match(stateOf(res.body).page.items[0].author.displayName, /<\/script>/, "the name survives as data");
      assert.doesNotMatch(res.body, /<!doctype/, "a fragment is only the section");
    });

    it("renders in German and links to further pages for readers without JavaScript", async () => {
      const storyId = await resolveStory(t.app);
      const readers = await Promise.all([1, 2, 3].map((n) => signup(t.app, `Reader ${n}`)));
      for (let i = 0; i < 21; i++) await post(t.app, readers[i % 3].token, storyId, `Comment number ${i} on the ferry.`);
      const res = await t.app.inject({ method: "GET", url: `/embed/threads?story=${storyId}&lang=de-AT` });
      assert.match(res.body, /<html lang="de">/);
      assert.match(res.body, /21 Kommentare/);
      assert.match(res.body, /Weitere Kommentare laden/);
      const next = /<a class="p-load" href="([^"]+)"/.exec(res.body)?.[1]?.replace(/&amp;/g, "&");
      assert.ok(next, "a link to the next page");
      const second = await t.app.inject({ method: "GET", url: next });
      assert.equal(second.statusCode, 200);
      assert.match(second.body, /Comment number 0 on the ferry/);
      assert.doesNotMatch(second.body, /Comment number 20 on the ferry/);
    });

    it("orders by 'Most helpful' (sort=best) and pages on by the same keyset, with the menu offering it", async () => {
      const storyId = await resolveStory(t.app);
      const readers = await Promise.all([1, 2].map((n) => signup(t.app, `Rater ${n}`)));
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) ids.push((await post(t.app, readers[i % 2].token, storyId, `Helpful point ${i} about the bridge.`)).id);
      // Ranks as a refit would store them, in no relation to age; comments 7 and 8 tie, so age breaks the tie.
      const rank = (i: number) => ((i === 8 ? 7 : i) * 7 % 25) / 100 - 0.1;
      for (const [i, id] of ids.entries()) {
        await t.app.deps.store.db.updateTable("comments").set({ bridge_rank: rank(i) }).where("id", "=", id).execute();
      }
      const expected = ids
        .map((id, i) => ({ id, i }))
        .sort((a, b) => rank(b.i) - rank(a.i) || b.i - a.i)
        .map((c) => c.id);
      const shown = (html: string) => [...html.matchAll(/<li class="p-item p-depth-0" id="comment-([^"]+)"/g)].map((m) => m[1]);

      const first = await t.app.inject({ method: "GET", url: `/embed/threads?story=${storyId}&sort=best` });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(shown(first.body), expected.slice(0, 20));
      assert.equal(stateOf(first.body).sort, "best", "the widget takes over in the same order");
      assert.match(first.body, /<a class="p-sort-option" href="[^"]*sort=best[^"]*" aria-current="true">Most helpful<\/a>/);
      assert.match(first.body, /<details class="p-why"><summary class="p-more">Why this order\?<\/summary>/);
      const next = /<a class="p-load" href="([^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, "&");
      assert.ok(next && /sort=best/.test(next), "the next page keeps the order");
      const second = await t.app.inject({ method: "GET", url: next });
      assert.equal(second.statusCode, 200, second.body);
      assert.deepEqual(shown(second.body), expected.slice(20));
      assert.doesNotMatch(second.body, /class="p-load"/, "the last page links to no further one");

      // Other orders offer it too, and do not explain it.
      const newest = await t.app.inject({ method: "GET", url: `/embed/threads?story=${storyId}` });
      assert.match(newest.body, /<a class="p-sort-option" href="[^"]*sort=best[^"]*">Most helpful<\/a>/);
      assert.doesNotMatch(newest.body, /p-why/);
      // A cursor of another order is refused rather than read as this one's.
      const newestCursor = /<a class="p-load" href="[^"]*cursor=([^"&]+)/.exec(newest.body)?.[1];
      const mixed = await t.app.inject({ method: "GET", url: `/embed/threads?story=${storyId}&sort=best&cursor=${newestCursor}` });
      assert.equal(mixed.statusCode, 400);
      assert.equal(mixed.json().error.code, "INVALID_CURSOR");
    });

    it("refuses a page whose origin may not embed threads, and a request naming no story", async () => {
      const denied = await t.app.inject({
        method: "GET",
        url: `/embed/threads?url=${encodeURIComponent("https://elsewhere.example/a")}`,
      });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().error.code, "ORIGIN_NOT_ALLOWED");
      const none = await t.app.inject({ method: "GET", url: "/embed/threads" });
      assert.equal(none.statusCode, 400);
    });

    it("serves the hashed assets for a year, the loaders for minutes, compressed when asked", async () => {
      const { manifest } = await buildWeb();
      const asset = await t.app.inject({ method: "GET", url: `/${manifest["thread.js"]}`, headers: { "accept-encoding": "gzip, br" } });
      assert.equal(asset.statusCode, 200);
      assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(asset.headers["content-encoding"], "br");
      const loader = await t.app.inject({ method: "GET", url: "/embed.js" });
      assert.equal(loader.statusCode, 200);
      assert.match(loader.headers["content-type"] as string, /text\/javascript/);
      assert.match(loader.headers["cache-control"] as string, /^public, max-age=300\b/);
      assert.ok(loader.body.includes(manifest["thread.js"]), "the loader names the current thread UI");
      const count = await t.app.inject({ method: "GET", url: "/count.js", headers: { "accept-encoding": "gzip" } });
      assert.equal(count.headers["content-encoding"], "gzip");
      const missing = await t.app.inject({ method: "GET", url: "/assets/thread-nothere.js" });
      assert.equal(missing.statusCode, 404);
    });

    it("counts comments for a list of article URLs, in one request, unknown ones as zero", async () => {
      const storyId = await resolveStory(t.app, "/counted");
      const ann = await signup(t.app);
      await post(t.app, ann.token, storyId, "One.");
      await post(t.app, ann.token, storyId, "Two.");
      const urls = ["https://news.example/counted?utm_source=x", "https://news.example/never-seen", "not a url"];
      const res = await t.app.inject({
        method: "GET",
        url: `/api/v1/counts?${urls.map((u) => `urls=${encodeURIComponent(u)}`).join("&")}`,
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().counts, { [urls[0]]: 2, [urls[1]]: 0, [urls[2]]: 0 });
      const joined = await t.app.inject({
        method: "GET",
        url: `/api/v1/counts?urls=${encodeURIComponent("https://news.example/counted,https://news.example/x")}`,
      });
      assert.deepEqual(joined.json().counts, { "https://news.example/counted": 2, "https://news.example/x": 0 });
    });
  });
}
