import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { applyNoteScores } from "../../src/notes/service.js";
import { changeModerationSettings } from "../../src/moderation/settings.js";
import { type Parley, artifact, browserSkip, launch, signUpInWidget, startParley, thread, widgetReady } from "./harness.js";

const skip = browserSkip();
const PATH = "/news/library-sundays";

/** Issue 20 item 4 in the widget: a reader adds context, another rates it, the article shows it once the model does. */
describe("reader context notes in the widget", { skip }, () => {
  let parley: Parley;
  let browser: Browser;
  let writer: Page;
  let rater: Page;
  let storyId = "";

  before(async () => {
    [parley, browser] = await Promise.all([startParley(), launch()]);
    const { app } = parley;
    const story = await app.inject({
      method: "GET",
      url: `/api/v1/stories/resolve?url=${encodeURIComponent(parley.publisher + PATH)}&title=Library`,
    });
    storyId = story.json<{ id: string }>().id;
    // This site lets any signed-in reader write and rate notes (the defaults ask for published comments first).
    await changeModerationSettings(app.deps, "default", { notes: { minPublishedToWrite: 0, minPublishedToRate: 0 } });
    parley.publish(
      PATH,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Library</title></head><body><h1>Library to close on Sundays</h1>` +
        `<div id="parley-thread"></div><script src="${parley.base}/embed.js" async></script></body></html>`,
    );
    writer = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    rater = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  it("a reader adds a note with its source", async () => {
    await writer.goto(parley.publisher + PATH);
    await widgetReady(writer);
    await signUpInWidget(writer, "Nora Notes");
    const t = thread(writer);
    await t.getByRole("button", { name: "Add context" }).click();
    await t.getByLabel("What readers should know").fill("The council minutes show the vote was 7 to 2.");
    await t.getByLabel("Sources, one link per line").fill("https://council.example/minutes");
    await t.getByRole("button", { name: "Submit note" }).click();
    await t.getByText("It shows once readers who usually disagree rate it helpful.").waitFor();
  });

  it("another reader rates it; once the model shows it, open pages show it without a reload", async () => {
    await rater.goto(parley.publisher + PATH);
    await widgetReady(rater);
    await signUpInWidget(rater, "Rafa Rater");
    const t = thread(rater);
    await t.getByText("1 reader note needs ratings").click();
    const group = t.getByRole("group", { name: "Is this note helpful?" });
    await group.getByRole("button", { name: "Helpful", exact: true }).click();
    await group.locator('button[aria-pressed="true"]', { hasText: "Helpful" }).waitFor();
    await rater.screenshot({ path: artifact("notes-rate-390.png"), fullPage: false });

    const [note] = await parley.app.deps.store.db.selectFrom("notes").select("id").where("story_id", "=", storyId).execute();
    const rating = await parley.app.deps.store.db.selectFrom("note_ratings").select("value").where("note_id", "=", note.id).executeTakeFirst();
    assert.equal(Number(rating?.value), 1);

    // The refit's verdict, stored as a refit stores it (the model itself is tested in src/notes/notes.test.ts).
    await applyNoteScores(parley.app.deps, "default", new Map([[note.id, { status: "helpful" as const }]]));
    for (const page of [writer, rater]) {
      const region = thread(page).getByRole("region", { name: "Readers added context" });
      await region.getByText("the vote was 7 to 2").waitFor({ timeout: 10_000 });
      await region.getByRole("link", { name: "council.example" }).waitFor();
    }
    await writer.screenshot({ path: artifact("notes-shown-1280.png"), fullPage: false });
  });
});
