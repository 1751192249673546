import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { post, signup } from "../helpers.js";
import { seriousViolations } from "./axe.js";
import { browserSkip, parleyAndBrowser, thread, widgetReady } from "./harness.js";
import { shoot } from "./screens.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";

/** README's embed snippet, as a publisher pastes it. */
const snippet = (base: string, attrs: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Ferry timetable</title></head>` +
  `<body><main><h1>Ferry timetable</h1><p>The winter timetable starts on Monday.</p>` +
  `<div id="parley-thread" ${attrs}></div>\n<script src="${base}/embed.js" async></script></main></body></html>`;

/** Parley's console warnings and any CORS error the page logs. */
function consoleOf(page: Page): { warnings: string[]; cors: string[] } {
  const seen = { warnings: [] as string[], cors: [] as string[] };
  page.on("console", (m) => {
    if (m.type() === "warning" && m.text().startsWith("Parley:")) seen.warnings.push(m.text());
    if (/CORS policy/.test(m.text())) seen.cors.push(m.text());
  });
  return seen;
}

describe("an embed that explains itself", { skip }, () => {
  const suite = parleyAndBrowser();

  it("shows, on an origin no admin allowed, a message naming it and where to allow it, and nothing of the thread", async () => {
    await buildAdmin();
    const { app, base, publisher } = suite.parley;
    // The same test server under another host name: an origin Parley has not been told about.
    const stranger = publisher.replace("127.0.0.1", "localhost");
    const storyUrl = `${publisher}/news/ferry`;
    const storyId = (
      await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}` })
    ).json().id;
    const reader = await signup(app, "Pat Passenger");
    await post(app, reader.token, storyId, "The 7:10 ferry is always full on Mondays.");
    suite.parley.publish("/news/ferry", snippet(base, `data-story-url="${storyUrl}"`));

    // axe is injected as an inline script, which the desk's CSP rightly refuses.
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    const seen = consoleOf(page);
    await page.goto(`${stranger}/news/ferry`);
    const message = thread(page).getByRole("status");
    await message.waitFor();
    const text = await message.innerText();
    assert.match(text, new RegExp(`${stranger.replace(/[.:/]/g, "\\$&")} is not allowed to show these comments yet`));
    assert.match(text, /Settings → Sites/);
    assert.match(text, /PARLEY_ALLOWED_ORIGINS/);
    const shadow = await page.evaluate(() => document.querySelector("parley-thread")?.shadowRoot?.innerHTML ?? "");
    assert.doesNotMatch(shadow, /7:10 ferry|Pat Passenger|p-item/, "nothing of the thread reaches the page");
    assert.equal(seen.warnings.length, 1, seen.warnings.join("\n"));
    assert.match(seen.warnings[0], /is not allowed to show these comments yet/);
    assert.deepEqual(seen.cors, [], "an explanation, not CORS errors");
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, "embed-origin-not-allowed", { height: 420 });

    // The admin finds the origin on the Sites page and allows it with one click.
    await createUser(app.deps, {
      email: "ada@example.com",
      password: PASSWORD,
      displayName: "Ada Admin",
      role: "admin",
    });
    const desk = await context.newPage();
    await desk.goto(`${base}/admin`);
    await desk.getByLabel("E-mail").fill("ada@example.com");
    await desk.getByLabel("Password").fill(PASSWORD);
    await desk.getByLabel("Password").press("Enter");
    await desk.getByRole("link", { name: "Settings" }).click();
    const refused = desk.locator("section.refused");
    await refused.getByText(stranger, { exact: true }).waitFor();
    await refused.getByText("asked for " + storyUrl).waitFor();
    assert.deepEqual(await seriousViolations(desk), []);
    await shoot(desk, "desk-sites-refused", { clip: desk.locator("section.sites"), height: 900 });
    await refused.getByRole("button", { name: `Allow ${stranger}` }).click();
    await desk.getByRole("status").getByText(`${stranger} may now show comments of Default site`).waitFor();
    await refused.getByText("No page on another origin has been refused lately.").waitFor();
    assert.match(
      await desk.locator("textarea[name=origins]").first().inputValue(),
      new RegExp(stranger.replace(/[.:/]/g, "\\$&")),
    );

    await page.reload();
    await widgetReady(page);
    await thread(page).getByText("The 7:10 ferry is always full on Mondays.").waitFor();
    await context.close();
  });

  it("names an unknown data-story-id instead of showing an empty box", async () => {
    const { base } = suite.parley;
    suite.parley.publish("/news/unknown", snippet(base, `data-story-id="no-such-story"`));
    const page = await suite.browser.newPage();
    const seen = consoleOf(page);
    await page.goto(`${suite.parley.publisher}/news/unknown`);
    await thread(page)
      .getByRole("status")
      .getByText('No story has the id "no-such-story" (data-story-id on the page).')
      .waitFor();
    assert.equal(seen.warnings.length, 1);
    await shoot(page, "embed-unknown-story", { height: 420 });
    await page.close();
  });

  it("says comments are closed on a closed story, and still shows them", async () => {
    const { app, base, publisher } = suite.parley;
    const storyUrl = `${publisher}/news/closed`;
    const storyId = (
      await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}` })
    ).json().id;
    const reader = await signup(app, "Cleo Closed");
    await post(app, reader.token, storyId, "Glad this got covered before the vote.");
    await app.deps.store.db.updateTable("stories").set({ status: "closed" }).where("id", "=", storyId).execute();
    suite.parley.publish("/news/closed", snippet(base, `data-story-url="${storyUrl}"`));
    const page = await suite.browser.newPage();
    await page.goto(storyUrl);
    await widgetReady(page);
    await thread(page).getByText("Comments on this story are closed.").waitFor();
    await thread(page).getByText("Glad this got covered before the vote.").waitFor();
    assert.equal(await thread(page).getByRole("textbox", { name: "Write a comment" }).count(), 0);
    await page.close();
  });

  it("retries a server it cannot reach with backoff, then says so and offers to try again", async () => {
    const { app, base, publisher } = suite.parley;
    const storyUrl = `${publisher}/news/offline`;
    const storyId = (
      await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}` })
    ).json().id;
    const reader = await signup(app, "Otto Offline");
    await post(app, reader.token, storyId, "Back online now.");
    suite.parley.publish("/news/offline", snippet(base, `data-story-url="${storyUrl}"`));
    const page = await suite.browser.newPage();
    const seen = consoleOf(page);
    const attempts: number[] = [];
    // The loader arrived (a cached copy, say), but the thread requests find no server.
    await page.route(`${base}/embed/threads*`, (route) => {
      attempts.push(Date.now());
      return route.abort("connectionrefused");
    });
    await page.goto(storyUrl);
    const message = thread(page).getByRole("status");
    await message
      .getByText(`Comments could not load: the comment server at ${base} did not answer.`)
      .waitFor({ timeout: 20_000 });
    assert.equal(attempts.length, 4, "the first request and three retries");
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
    assert.ok(
      gaps[0] >= 900 && gaps[2] >= 3500 && gaps[2] > gaps[0],
      `waits grow between tries: ${gaps.join(", ")} ms`,
    );
    assert.equal(seen.warnings.length, 1);
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, "embed-unreachable", { height: 420 });

    await page.unroute(`${base}/embed/threads*`);
    await message.getByRole("button", { name: "Try again" }).click();
    await widgetReady(page);
    await thread(page).getByText("Back online now.").waitFor();
    await page.close();
  });
});
