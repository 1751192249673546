import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { post, signup } from "../helpers.js";
import { browserSkip, parleyAndBrowser, thread, widgetReady } from "./harness.js";

const skip = browserSkip();

const page = (base: string, lang: string, storyUrl: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Fähre</title></head>` +
  `<body><h1>Fähre</h1><div id="parley-thread" data-story-url="${storyUrl}"></div><script src="${base}/embed.js" async></script></body></html>`;

/**
 * The widget carries English only; a German page's thread fetches the German catalog once and
 * is taken over in German, with the server-rendered German thread shown until then.
 */
describe("the widget in the reader's language", { skip }, () => {
  const suite = parleyAndBrowser();

  it("takes a German page's thread over in German, fetching the catalog once; an English page fetches none", async () => {
    const { app, base, publisher } = suite.parley;
    const storyUrl = `${publisher}/news/faehre`;
    const storyId = (
      await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}` })
    ).json<{ id: string }>().id;
    const reader = await signup(app, "Greta Gast");
    await post(app, reader.token, storyId, "Die Fähre um 7:10 ist montags immer voll.");
    suite.parley.publish("/news/faehre", page(base, "de", storyUrl));
    suite.parley.publish("/news/ferry", page(base, "en", storyUrl));

    for (const [path, lang] of [
      ["/news/faehre", "de"],
      ["/news/ferry", "en"],
    ] as const) {
      const tab = await suite.browser.newPage();
      const catalogs: string[] = [];
      tab.on("request", (r) => void (/\/assets\/messages-/.test(r.url()) && catalogs.push(r.url())));
      // The title as painted from the server, before the thread UI takes over.
      await tab.addInitScript(() => {
        const titles: string[] = [];
        (window as unknown as { titles: string[] }).titles = titles;
        setInterval(() => {
          const title = document.querySelector("parley-thread")?.shadowRoot?.querySelector(".p-title")?.textContent;
          if (title && titles.at(-1) !== title) titles.push(title);
        }, 2);
      });
      await tab.goto(publisher + path);
      await widgetReady(tab);
      const t = thread(tab);
      if (lang === "de") {
        await t.getByRole("button", { name: "Zum Kommentieren anmelden" }).waitFor();
        assert.equal(await t.locator(".p-title").textContent(), "1 Kommentar");
        assert.equal(catalogs.length, 1, "the German catalog is fetched once");
        const titles = await tab.evaluate(() => (window as unknown as { titles: string[] }).titles);
        assert.deepEqual(titles, ["1 Kommentar"], "the reader never sees the English words");
      } else {
        await t.getByRole("button", { name: "Sign in to comment" }).waitFor();
        assert.deepEqual(catalogs, [], "an English page fetches no catalog");
      }
      await tab.close();
    }
  });
});
