import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "../../src/paths.js";
import { post, postComment, signup } from "../helpers.js";
import { type Parley, browserSkip, launch, startParley, thread } from "./harness.js";

const CORPORA = join(ROOT, "..", "shared", "data", "security");
const skip = browserSkip() || (existsSync(CORPORA) ? false : `no hostile-input corpora at ${CORPORA}; skipping`);

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
  let parley: Parley;
  let browser: Browser;
  before(async () => {
    [parley, browser] = await Promise.all([startParley(), launch()]);
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  it("renders every hostile string without a dialog, a script run or a request to another origin", async () => {
    const { app } = parley;
    const story = await app.inject({
      method: "GET",
      url: `/api/v1/stories/resolve?url=${encodeURIComponent(`${parley.publisher}/news/hostile`)}`,
    });
    const storyId = story.json<{ id: string }>().id;
    const strings = hostileStrings();
    const authors = await Promise.all(
      strings.slice(0, 20).map((name, i) => signup(app, name.trim().slice(0, 100) || `Reader ${i}`).catch(() => signup(app, `Reader ${i}`))),
    );
    let posted = 0;
    let published = 0;
    const started = Date.now();
    for (const [i, body] of strings.entries()) {
      const res = await postComment(app, authors[i % authors.length].token, storyId, { body });
      if (res.statusCode === 201) posted++;
      if (res.statusCode === 201 && res.json().comment.status === "published") published++;
    }
    console.log(`posted ${posted} (${published} published) in ${Date.now() - started} ms`);
    assert.ok(posted > strings.length * 0.8, `most strings are accepted as comments (${posted} of ${strings.length})`);

    const page = await browser.newPage();
    const dialogs: string[] = [];
    const foreign: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      const url = r.url();
      if (!url.startsWith(parley.base) && !url.startsWith(parley.publisher) && !/^(data|blob|about):/.test(url)) foreign.push(url);
    });
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w.__ran = [];
      for (const name of ["alert", "confirm", "prompt", "print"]) {
        w[name] = (...args: unknown[]) => (w.__ran as unknown[]).push([name, ...args]);
      }
    });
    await publisherPage(page, parley, "/hostile", "", '<div id="parley-thread"></div>');
    const more = thread(page).getByRole("button", { name: "Load more comments" });
    await thread(page).locator(".p-list > .p-item").first().waitFor();
    let t0 = Date.now();
    for (let i = 0; i < 120 && (await more.count()) > 0; i++) await more.click();
    const shown = await thread(page).locator(".p-list > .p-item").count();
    console.log(`widget rendered ${shown} in ${Date.now() - t0} ms`);
    assert.equal(shown, published, "every published comment rendered in the widget");
    t0 = Date.now();
    // The same thread, server-rendered, page by page, as a reader without the widget sees it.
    let next: string | null = `/embed/threads?story=${storyId}`;
    for (let pages = 0; next && pages < 100; pages++) {
      await page.goto(parley.base + next);
      next = await page.locator("a.p-load").getAttribute("href").catch(() => null);
    }
    assert.equal(next, null, "followed every server-rendered page");
    console.log(`server-rendered pages in ${Date.now() - t0} ms`);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __ran: unknown[] }).__ran), []);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(foreign, []);
    await page.close();
  });

  it("looks the same on a page whose CSS styles div, p and button aggressively", async () => {
    const storyUrl = `${parley.publisher}/news/styled`;
    const story = await parley.app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}` });
    const reader = await signup(parley.app, "Plain Reader");
    const first = await post(parley.app, reader.token, story.json<{ id: string }>().id, "A plain comment, *emphasised* here and there.");
    await post(parley.app, reader.token, story.json<{ id: string }>().id, "A plain reply.", first.id);
    const hostile =
      "<style>html{font-size:40px!important} div,p,button,li,ol,a,span,section,header,footer,article,img,svg,time,h2{all:unset;display:block!important;font:italic 31px/3 cursive!important;color:red!important;background:yellow!important;padding:17px!important;margin:13px!important;border:5px dotted green!important;text-transform:uppercase!important;letter-spacing:6px!important;text-align:right!important;visibility:visible!important;float:left!important}</style>";
    const fixed = "<style>parley-thread{display:block;width:640px}</style>";
    const layout = async (head: string) => {
      const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
      await publisherPage(page, parley, "/styled", fixed + head, `<div id="parley-thread" data-story-url="${storyUrl}"></div>`);
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
    const story = await parley.app.inject({
      method: "GET",
      url: `/api/v1/stories/resolve?url=${encodeURIComponent(`${parley.publisher}/news/counted`)}`,
    });
    const reader = await signup(parley.app, "Counting Reader");
    await post(parley.app, reader.token, story.json<{ id: string }>().id, "First of two.");
    await post(parley.app, reader.token, story.json<{ id: string }>().id, "Second of two.");
    const page = await browser.newPage();
    parley.publish(
      "/news/list",
      `<!doctype html><html lang="en"><body><a href="${parley.publisher}/news/counted"><span id="a" data-parley-count></span></a><span id="b" data-parley-count="${parley.publisher}/news/nothing-yet"></span><script src="${parley.base}/count.js" async></script></body></html>`,
    );
    await page.goto(`${parley.publisher}/news/list`);
    await page.locator("#a", { hasText: "2 comments" }).waitFor();
    await page.locator("#b", { hasText: "0 comments" }).waitFor();
    await page.close();
  });
});
