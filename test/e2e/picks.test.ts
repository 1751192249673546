import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { postComment, signup } from "../helpers.js";
import { type Parley, browserSkip, launch, signUpInWidget, startParley, thread, widgetReady } from "./harness.js";

const skip = browserSkip();
const PATH = "/news/convoy-video";

/** Issue 20 item 2 in the widget: an editor features a comment; readers see it in the Picks strip. */
describe("editors' picks in the widget", { skip }, () => {
  let parley: Parley;
  let browser: Browser;
  let editor: Page;
  let reader: Page;
  let commentId = "";

  before(async () => {
    [parley, browser] = await Promise.all([startParley(), launch()]);
    const { app } = parley;
    const story = await app.inject({
      method: "GET",
      url: `/api/v1/stories/resolve?url=${encodeURIComponent(parley.publisher + PATH)}&title=Convoy`,
    });
    const storyId = story.json<{ id: string }>().id;
    const author = await signup(app, "Rosa Reader");
    await postComment(app, author.token, storyId, { body: "Same convoy as in the 2014 archive report." });
    const res = await postComment(app, author.token, storyId, {
      body: "The video is from 2014: the archive has the same shot.",
    });
    commentId = res.json<{ comment: { id: string } }>().comment.id;
    parley.publish(
      PATH,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Convoy</title></head><body><h1>Convoy</h1>` +
        `<div id="parley-thread"></div><script src="${parley.base}/embed.js" async></script></body></html>`,
    );
    editor = await (await browser.newContext()).newPage();
    reader = await (await browser.newContext()).newPage();
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  it("offers Feature only to the newsroom, and a pick shows above the thread with its badge", async () => {
    await editor.goto(parley.publisher + PATH);
    await widgetReady(editor);
    await signUpInWidget(editor, "Edna Editor");
    const item = thread(editor).locator(`#comment-${commentId}`);
    await item.getByRole("button", { name: "More" }).first().click();
    await item.getByRole("menuitem", { name: "Copy link" }).waitFor();
    assert.equal(await item.getByRole("menuitem", { name: "Feature as a pick" }).count(), 0, "a reader cannot feature");
    await editor.keyboard.press("Escape");

    await parley.app.deps.store.db
      .updateTable("users")
      .set({ role: "staff" })
      .where("display_name", "=", "Edna Editor")
      .execute();
    await editor.reload();
    await widgetReady(editor);
    const t = thread(editor);
    await t.locator(".p-who", { hasText: "Signed in as Edna Editor" }).waitFor();
    const again = t.locator(`#comment-${commentId}`);
    await again.getByRole("button", { name: "More" }).first().click();
    await again.getByRole("menuitem", { name: "Feature as a pick" }).click();
    const strip = t.getByRole("region", { name: "Editors’ picks" });
    await strip.getByText("the archive has the same shot").waitFor();
    await again.locator(".p-badge.p-pick").first().waitFor();

    await reader.goto(parley.publisher + PATH);
    await widgetReady(reader);
    await thread(reader)
      .getByRole("region", { name: "Editors’ picks" })
      .getByText("the archive has the same shot")
      .waitFor();
  });

  it("takes a pick back, and the open thread of another reader follows without a reload", async () => {
    const item = thread(editor).locator(`#comment-${commentId}`);
    await item.getByRole("button", { name: "More" }).first().click();
    await item.getByRole("menuitem", { name: "Remove from picks" }).click();
    await thread(editor).getByRole("region", { name: "Editors’ picks" }).waitFor({ state: "detached" });
    await thread(reader)
      .getByRole("region", { name: "Editors’ picks" })
      .waitFor({ state: "detached", timeout: 10_000 });
  });

  it("a moderator features the comment on the current card with f in the desk, and readers see the pick live", async () => {
    await buildAdmin();
    const password = "correct horse battery staple";
    await createUser(parley.app.deps, { email: "mo@example.com", password, displayName: "Mo Moderator", role: "moderator" });
    const desk = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
    await desk.goto(`${parley.base}/admin`);
    await desk.getByLabel("E-mail").fill("mo@example.com");
    await desk.getByLabel("Password").fill(password);
    await desk.getByLabel("Password").press("Enter");
    await desk.getByRole("button", { name: "Sign out" }).waitFor();
    await desk.goto(`${parley.base}/admin/queues/all`);
    const card = desk.locator("article.card", { hasText: "the archive has the same shot" });
    await card.locator(".body.reader").click();
    await desk.keyboard.press("f");
    await card.locator(".chip.pick").waitFor();
    await thread(reader)
      .getByRole("region", { name: "Editors’ picks" })
      .getByText("the archive has the same shot")
      .waitFor({ timeout: 10_000 });
    await desk.keyboard.press("f");
    await card.locator(".chip.pick").waitFor({ state: "detached" });
  });
});
