import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { post, signup } from "../helpers.js";
import { browserSkip, parleyAndBrowser, signUpInWidget, thread, widgetReady } from "./harness.js";

const skip = browserSkip();

/**
 * What docs/EMBED.md tells a publisher, tried on a publisher's page: the content security
 * policy it documents (nothing more), a thread the publisher's server rendered into a
 * declarative shadow root, count.js, and a theme set through the documented custom properties.
 */
describe("a publisher's page set up as docs/EMBED.md says", { skip }, () => {
  const suite = parleyAndBrowser();

  it("works under the documented CSP with a server-rendered thread, count.js and a custom accent colour", async () => {
    const { app, base, publisher } = suite.parley;
    const storyUrl = `${publisher}/news/harbour-bridge`;
    const story = await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}&title=Harbour%20bridge` });
    const storyId = story.json<{ id: string }>().id;
    const reader = await signup(app, "Hana Harbour");
    await post(app, reader.token, storyId, "The bridge closure notice went up only two days before.");
    // The publisher's server fetches the fragment and writes it into the page.
    const fragment = await app.inject({ method: "GET", url: `/embed/threads?url=${encodeURIComponent(storyUrl)}&fragment=true&lang=en` });
    assert.equal(fragment.statusCode, 200);
    const csp = `default-src 'self'; script-src 'self' ${base}; connect-src 'self' ${base}; img-src 'self' ${base} data: https:; style-src 'self' 'nonce-pub1'; object-src 'none'; base-uri 'self'`;
    suite.parley.publish(
      "/news/harbour-bridge",
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><title>Harbour bridge</title>` +
        `<link rel="canonical" href="${storyUrl}"><style nonce="pub1">parley-thread { --parley-accent: #8a1538; }</style></head><body><h1>Harbour bridge</h1><p><span id="count" data-parley-count="${storyUrl}"></span></p>` +
        `<parley-thread data-story-url="${storyUrl}"><template shadowrootmode="open">${fragment.body}</template></parley-thread>` +
        `<script src="${base}/embed.js" async></script><script src="${base}/count.js" async></script></body></html>`,
    );
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (v: string) => void violations.push(v));
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
      ),
    );
    const requests: string[] = [];
    page.on("request", (r) => void requests.push(r.url()));
    await page.goto(`${publisher}/news/harbour-bridge`);
    await widgetReady(page);
    await thread(page).getByText("The bridge closure notice went up").waitFor();
    await page.locator("#count", { hasText: "1 comment" }).waitFor();
    // The styles arrive with the loader (the fragment has no stylesheet link); the accent comes from the page.
    const accent = await page.evaluate(() => {
      const button = document.querySelector("parley-thread")?.shadowRoot?.querySelector(".p-btn.p-primary");
      return button ? getComputedStyle(button).backgroundColor : "";
    });
    assert.equal(accent, "rgb(138, 21, 56)");
    // The server-rendered page was used as it is: the loader did not fetch the thread again.
    assert.equal(requests.filter((u) => u.includes("/embed/threads")).length, 0);
    await signUpInWidget(page, "Cyra Csp");
    await thread(page).getByRole("textbox", { name: "Write a comment" }).fill("Posted from a page with a strict policy.");
    await thread(page).getByRole("button", { name: "Post comment" }).click();
    await thread(page).locator(".p-list > .p-item").first().getByText("Posted from a page with a strict policy.").waitFor();
    assert.deepEqual(violations, []);
    await context.close();
  });
});
