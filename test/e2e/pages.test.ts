import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { ROOT } from "../../src/paths.js";
import { post, signup } from "../helpers.js";
import { artifact, browserSkip, parleyAndBrowser, signUpInWidget, thread, widgetReady } from "./harness.js";

const ARTICLE = "/articles/riverside-library-reopens";
const LONG = "/articles/harbor-road-ferry-timetable";
const skip = browserSkip();
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical findings on the page as it is now (open shadow roots included). */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

const WORDS =
  "ferry harbor crossing morning pier ticket commute river bridge schedule captain deck tide fog bicycle coffee council budget timetable weekday island north south early late winter summer fare pass seat queue engine rope gull wave anchor lantern signal whistle dock cargo".split(" ");

/** Comments different enough that the near-duplicate check lets all of them through. */
function distinctText(i: number): string {
  let seed = i * 2654435761 + 1;
  const pick = () => WORDS[(seed = (seed * 1103515245 + 12345) % 2147483648) % WORDS.length];
  return `Comment ${i}: ${Array.from({ length: 12 }, pick).join(" ")}.`;
}

/** Screenshots shown in the README are copied from the test artefacts into docs/screenshots. */
function publish(name: string): void {
  mkdirSync(join(ROOT, "docs", "screenshots"), { recursive: true });
  copyFileSync(artifact(name), join(ROOT, "docs", "screenshots", name));
}

describe("article pages, permalinks, themes and accessibility", { skip }, () => {
  const suite = parleyAndBrowser();

  it("follows a permalink to a reply to a comment on page 3, loading its ancestors", async () => {
    const { app } = suite.parley;
    await app.inject({ method: "GET", url: LONG });
    const story = await app.inject({
      method: "GET",
      url: `/api/v1/stories/resolve?url=${encodeURIComponent(suite.parley.base + LONG)}`,
    });
    const storyId = story.json<{ id: string }>().id;
    const readers = await Promise.all([1, 2, 3, 4, 5].map((n) => signup(app, `Commuter ${n}`)));
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await post(app, readers[i % 5].token, storyId, distinctText(i))).id);
    // Newest first, 20 a page: comment 5 of 50 sits on page 3.
    const reply = await post(app, readers[1].token, storyId, "Replying to an early comment about the crossing.", ids[5]);
    const page = await suite.browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${suite.parley.base}${LONG}#comment-${reply.id}`);
    const target = thread(page).locator(`#comment-${reply.id} > .p-comment.p-target`);
    await target.waitFor();
    assert.ok(await target.isVisible());
    const box = await target.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 800, "scrolled into view");
    assert.equal(await thread(page).locator(`#comment-${ids[5]}`).count(), 1, "its parent was loaded with it");
    await page.close();
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`paints the thread in the ${scheme} theme`, async () => {
      const page = await suite.browser.newPage({ viewport: { width: 820, height: 1000 }, colorScheme: scheme });
      await page.goto(suite.parley.base + ARTICLE);
      await widgetReady(page);
      const background = await page.evaluate(() => {
        const section = document.querySelector("parley-thread")?.shadowRoot?.querySelector("section.parley");
        return section ? getComputedStyle(section).backgroundColor : "";
      });
      assert.equal(background, scheme === "dark" ? "rgb(21, 24, 29)" : "rgb(255, 255, 255)");
      await thread(page).screenshot({ path: artifact(`widget-${scheme}.png`) });
      publish(`widget-${scheme}.png`);
      if (scheme === "light") {
        await page.screenshot({ path: artifact("article-page.png"), fullPage: true });
        publish("article-page.png");
      }
      await page.close();
    });
  }

  it("has no serious or critical axe-core violations on the article page and the open composer", async () => {
    // axe is injected as an inline script, which the page's CSP rightly refuses; only this page bypasses it.
    const page = await suite.browser.newPage({ viewport: { width: 1000, height: 900 }, bypassCSP: true });
    await page.goto(suite.parley.base + ARTICLE);
    await widgetReady(page);
    assert.deepEqual(await seriousViolations(page), []);
    await signUpInWidget(page, "Axel Auditor");
    await thread(page).getByRole("textbox", { name: "Write a comment" }).waitFor();
    const lucia = thread(page).locator(".p-item", { has: page.getByText("sewing machines") }).first();
    await lucia.getByRole("button", { name: "More actions" }).first().click();
    assert.deepEqual(await seriousViolations(page), [], "with the More menu open");
    await lucia.getByRole("menuitem", { name: "Report" }).click();
    assert.deepEqual(await seriousViolations(page), []);
    await page.emulateMedia({ colorScheme: "dark" });
    assert.deepEqual(await seriousViolations(page), [], "dark theme contrast");
    await page.close();
  });

  it("holds others' new comments behind a button, so the thread does not move while read", async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1000, height: 900 } });
    const newcomer = {
      id: "live-comment-1",
      storyId: "",
      parentId: null,
      depth: 0,
      author: { id: "someone-else", displayName: "Live Larsen", avatarUrl: `${suite.parley.base}/avatars/someone-else.svg`, role: "commenter", badges: [], createdAt: new Date().toISOString() },
      bodyHtml: "<p>Arrived while you were reading.</p>",
      status: "published",
      createdAt: new Date().toISOString(),
      editedAt: null,
      reactions: {},
      viewerReactions: [],
      replyCount: 0,
    };
    // The stream as API.md describes it, until the live-updates work serves the real one.
    await page.route("**/api/v1/stories/*/events", (route) =>
      route.fulfill({
        status: 200,
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
        body: `retry: 600000\nid: 1\nevent: comment.created\ndata: ${JSON.stringify({ comment: newcomer })}\n\n`,
      }),
    );
    await page.goto(suite.parley.base + ARTICLE);
    await widgetReady(page);
    const first = thread(page).locator(".p-list > .p-item").first();
    const before = await first.getAttribute("id");
    const button = thread(page).getByRole("button", { name: "Show 1 new comment" });
    await button.waitFor();
    assert.equal(await first.getAttribute("id"), before, "nothing inserted above what the reader sees");
    await button.click();
    await thread(page).locator(".p-list > .p-item").first().getByText("Arrived while you were reading.").waitFor();
    await page.close();
  });

  it("shows the index of articles with comment counts", async () => {
    const page = await suite.browser.newPage({ bypassCSP: true });
    await page.goto(`${suite.parley.base}/`);
    await page.getByRole("link", { name: "12 comments" }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.close();
  });
});
