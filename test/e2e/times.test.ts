import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { post, signup } from "../helpers.js";
import { browserSkip, parleyAndBrowser, thread, widgetReady } from "./harness.js";

const ARTICLE = "/articles/riverside-library-reopens";
const skip = browserSkip();

/**
 * Issue 6 item 2, "relative times": a page left open keeps its labels current. The browser's
 * clock is Playwright's, so minutes pass without waiting for them.
 */
describe("relative times in the widget", { skip }, () => {
  const suite = parleyAndBrowser();

  it("turns 'now' into '1 minute ago' and '2 minutes ago' without a reload, changing nothing but the labels", async () => {
    const { app } = suite.parley;
    const story = await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(suite.parley.base + ARTICLE)}` });
    const storyId = story.json<{ id: string }>().id;
    const tess = await signup(app, "Tess Timely");
    const fresh = await post(app, tess.token, storyId, "Posted a moment ago, while the page was loading.");

    const page = await suite.browser.newPage({ viewport: { width: 1000, height: 900 } });
    // The fake clock starts at the real time (the server stamped the comment with it) and then runs only when told.
    await page.clock.install({ time: Date.now() });
    await page.goto(suite.parley.base + ARTICLE);
    await widgetReady(page);
    await page.clock.pauseAt(Date.now() + 1_000);
    const time = thread(page).locator(`#comment-${fresh.id} > .p-comment time`);
    assert.equal(await time.textContent(), "now");
    const datetime = await time.getAttribute("datetime");
    const title = await time.getAttribute("title");
    assert.ok(datetime && Date.parse(datetime) > 0, "the machine-readable time stays on the element");
    assert.match(title ?? "", /\d{4}/, "the exact time stays on hover");

    // Record every change the ticks make to the widget's DOM.
    await page.evaluate(() => {
      const root = document.querySelector("parley-thread")?.shadowRoot;
      const seen: string[] = [];
      (window as unknown as { changed: string[] }).changed = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target instanceof Element ? r.target : r.target.parentElement;
          seen.push(el?.closest("time") ? "time" : `${r.type} on ${el?.tagName ?? "?"}.${el?.className ?? ""}`);
        }
      }).observe(root as ShadowRoot, { subtree: true, childList: true, characterData: true, attributes: true });
    });

    await page.clock.fastForward(60_000);
    await thread(page).locator(`#comment-${fresh.id} > .p-comment time`, { hasText: "1 minute ago" }).waitFor();
    await page.clock.fastForward(60_000);
    await thread(page).locator(`#comment-${fresh.id} > .p-comment time`, { hasText: "2 minutes ago" }).waitFor();
    assert.equal(await time.getAttribute("datetime"), datetime);
    assert.equal(await time.getAttribute("title"), title);
    const changed = await page.evaluate(() => (window as unknown as { changed: string[] }).changed);
    assert.ok(changed.length > 0);
    assert.deepEqual([...new Set(changed)], ["time"], "only the time labels changed");
    await page.close();
  });
});
