import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { post, postComment, signup } from "../helpers.js";
import { CORPORA, corporaSkip } from "../security/corpora.js";
import { type Parley, browserSkip, parleyAndBrowser, thread, widgetReady } from "./harness.js";

const skip = browserSkip() || corporaSkip;

/** Every string of the shared hostile-input corpora (BLNS, OWASP, DOMPurify, markdown-it, CommonMark). */
function hostileStrings(): string[] {
  const json = <T>(file: string) => JSON.parse(readFileSync(join(CORPORA, file), "utf8")) as T;
  const markdownIt = readFileSync(join(CORPORA, "markdown-it-xss.txt"), "utf8")
    .split(/^\.$/m)
    .filter((_, i) => i % 3 === 1);
  return [
    ...json<string[]>("blns.json"),
    ...json<{ payload: string }[]>("owasp-xss-filter-evasion.json").map((e) => e.payload),
    ...json<{ payload: string }[]>("dompurify-expect.json").map((e) => e.payload),
    ...markdownIt,
    ...json<{ markdown: string }[]>("commonmark-spec-0.31.2.json").map((e) => e.markdown),
  ];
}

/** A publisher's page, served by the browser itself on the publisher's origin. */
async function publisherPage(page: Page, parley: Parley, path: string, head: string, body: string): Promise<void> {
  parley.publish(
    `/news${path}`,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Publisher</title>${head}</head><body>${body}<script src="${parley.base}/embed.js" async></script></body></html>`,
  );
  await page.goto(`${parley.publisher}/news${path}`);
}

describe("the widget among hostile input and hostile pages", { skip }, () => {
  const suite = parleyAndBrowser();

  it("renders every hostile string without a dialog, a script run or a request to another origin", async () => {
    const { app } = suite.parley;
    const strings = hostileStrings();
    const authors = await Promise.all(
      strings.slice(0, 20).map((name, i) => signup(app, name.trim().slice(0, 100) || `Reader ${i}`).catch(() => signup(app, `Reader ${i}`))),
    );
    // A hundred comments a story: each thread then renders in a few pages of the widget.
    const stories: { path: string; id: string; published: number }[] = [];
    let posted = 0;
    for (let i = 0; i < strings.length; i++) {
      if (i % 100 === 0) {
        const path = `/news/hostile-${i / 100}`;
        const res = await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(suite.parley.publisher + path)}` });
        stories.push({ path, id: res.json<{ id: string }>().id, published: 0 });
      }
      const story = stories[stories.length - 1];
      const res = await postComment(app, authors[i % authors.length].token, story.id, { body: strings[i] });
      if (res.statusCode === 201) posted++;
      if (res.statusCode === 201 && res.json().comment.status === "published") story.published++;
    }
    assert.ok(posted > strings.length * 0.8, `most strings are accepted as comments (${posted} of ${strings.length})`);

    const page = await suite.browser.newPage();
    const dialogs: string[] = [];
    const foreign: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      const url = r.url();
      if (!url.startsWith(suite.parley.base) && !url.startsWith(suite.parley.publisher) && !/^(data|blob|about):/.test(url)) foreign.push(url);
    });
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w.__ran = [];
      for (const name of ["alert", "confirm", "prompt", "print"]) {
        w[name] = (...args: unknown[]) => (w.__ran as unknown[]).push([name, ...args]);
      }
    });
    const ran: unknown[] = [];
    for (const story of stories) {
      await publisherPage(page, suite.parley, story.path.slice("/news".length), "", '<div id="parley-thread"></div>');
      await widgetReady(page);
      const items = thread(page).locator(".p-list > .p-item");
      const more = thread(page).getByRole("button", { name: "Load more comments" });
      for (let i = 0; i < 10 && (await more.count()) > 0; i++) {
        const shown = await items.count();
        await more.click();
        await items.nth(shown).waitFor();
      }
      assert.equal(await thread(page).locator(".p-list > .p-item").count(), story.published, story.path);
      ran.push(...(await page.evaluate(() => (window as unknown as { __ran: unknown[] }).__ran)));
      // The same thread server-rendered, page by page, as a reader without the widget sees it.
      let next: string | null = `/embed/threads?story=${story.id}`;
      for (let pages = 0; next && pages < 10; pages++) {
        await page.goto(suite.parley.base + next, { waitUntil: "domcontentloaded" });
        next = await page.locator("a.p-load").getAttribute("href", { timeout: 1000 }).catch(() => null);
        ran.push(...(await page.evaluate(() => (window as unknown as { __ran: unknown[] }).__ran)));
      }
      assert.equal(next, null, `followed every server-rendered page of ${story.path}`);
    }
    assert.deepEqual(ran, []);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(foreign, []);
    await page.close();
  });

  it("looks the same on a page whose CSS styles div, p and button aggressively", async () => {
    const storyUrl = `${suite.parley.publisher}/news/styled`;
    const story = await suite.parley.app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}` });
    const reader = await signup(suite.parley.app, "Plain Reader");
    const first = await post(suite.parley.app, reader.token, story.json<{ id: string }>().id, "A plain comment, *emphasised* here and there.");
    await post(suite.parley.app, reader.token, story.json<{ id: string }>().id, "A plain reply.", first.id);
    const hostile =
      "<style>html{font-size:40px!important} div,p,button,li,ol,a,span,section,header,footer,article,img,svg,time,h2{all:unset;display:block!important;font:italic 31px/3 cursive!important;color:red!important;background:yellow!important;padding:17px!important;margin:13px!important;border:5px dotted green!important;text-transform:uppercase!important;letter-spacing:6px!important;text-align:right!important;visibility:visible!important;float:left!important}</style>";
    const fixed = "<style>parley-thread{display:block;width:640px}</style>";
    const layout = async (head: string) => {
      const page = await suite.browser.newPage({ viewport: { width: 900, height: 900 } });
      await publisherPage(page, suite.parley, "/styled", fixed + head, `<div id="parley-thread" data-story-url="${storyUrl}"></div>`);
      await thread(page).getByText("A plain reply.").waitFor();
      await page.waitForFunction(() => !document.querySelector("parley-thread")?.shadowRoot?.querySelector("[data-ssr]"));
      const snapshot = await page.evaluate(() => {
        const host = document.querySelector("parley-thread") as HTMLElement;
        const origin = host.getBoundingClientRect();
        return [...(host.shadowRoot?.querySelectorAll("*") ?? [])].slice(0, 150).map((el) => {
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          // Hidden elements sit at the viewport's corner, not inside the thread: only their styles count.
          const at = r.width || r.height ? [r.x - origin.x, r.y - origin.y, r.width, r.height].map((v) => v.toFixed(1)) : [];
          return [el.localName, ...at, s.font, s.color, s.backgroundColor, s.padding, s.margin, s.textTransform, s.letterSpacing].join("|");
        });
      });
      await page.close();
      return snapshot;
    };
    const [plain, styled] = [await layout(""), await layout(hostile)];
    assert.ok(plain.length > 20);
    assert.deepEqual(styled, plain);
  });

  it("fills comment counts on an article list with count.js", async () => {
    const story = await suite.parley.app.inject({
      method: "GET",
      url: `/api/v1/stories/resolve?url=${encodeURIComponent(`${suite.parley.publisher}/news/counted`)}`,
    });
    const storyId = story.json<{ id: string }>().id;
    const [ann, bob] = [await signup(suite.parley.app, "Counting Ann"), await signup(suite.parley.app, "Counting Bob")];
    await post(suite.parley.app, ann.token, storyId, "The ferry timetable finally fits the early shift at the hospital.");
    await post(suite.parley.app, bob.token, storyId, "Fares staying the same is the real news for commuters like me.");
    const counted = await suite.parley.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}` });
    assert.equal(counted.json<{ commentCount: number }>().commentCount, 2, "both comments published");
    const page = await suite.browser.newPage();
    suite.parley.publish(
      "/news/list",
      `<!doctype html><html lang="en"><body><a href="${suite.parley.publisher}/news/counted"><span id="a" data-parley-count></span></a><span id="b" data-parley-count="${suite.parley.publisher}/news/nothing-yet"></span><script src="${suite.parley.base}/count.js" async></script></body></html>`,
    );
    await page.goto(`${suite.parley.publisher}/news/list`);
    await page.locator("#a", { hasText: "2 comments" }).waitFor();
    await page.locator("#b", { hasText: "0 comments" }).waitFor();
    await page.close();
  });
});
