import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type Parley, browserSkip, launch, signUpInWidget, startParley, thread, widgetReady } from "./harness.js";

const ARTICLE = "/articles/riverside-library-reopens";
const skip = browserSkip();

describe("a reader on the demo article", { skip }, () => {
  let parley: Parley;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  before(async () => {
    [parley, browser] = await Promise.all([startParley(), launch()]);
    context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  it("sees the comments without JavaScript, server-rendered into the page", async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const p = await plain.newPage();
    await p.goto(parley.base + ARTICLE);
    await thread(p).getByText("Fair point. The breakdown is in the council's October minutes").waitFor();
    assert.equal(await thread(p).getByRole("heading", { name: "12 comments" }).count(), 1);
    await plain.close();
  });

  it("signs up in the widget and posts a comment", async () => {
    await page.goto(parley.base + ARTICLE);
    await widgetReady(page);
    await signUpInWidget(page, "Rosa Reader");
    const t = thread(page);
    await t.getByRole("textbox", { name: "Write a comment" }).fill("The *evening hours* are the best news this year.");
    await t.getByRole("button", { name: "Preview" }).first().click();
    await t.locator(".p-preview em", { hasText: "evening hours" }).waitFor();
    await t.getByRole("button", { name: "Write" }).first().click();
    await t.getByRole("button", { name: "Post comment" }).click();
    await t.locator(".p-list > .p-item").first().getByText("are the best news this year").waitFor();
    await t.getByRole("heading", { name: "13 comments" }).waitFor();
  });

  it("replies to another reader, nested under their comment", async () => {
    const t = thread(page);
    const lucia = t.locator(".p-item", { has: page.getByText("I'd volunteer if they need someone for sewing machines") }).first();
    await lucia.getByRole("button", { name: "Reply" }).first().click();
    await t.getByRole("textbox", { name: "Reply to Lucia Romero" }).fill("I can bring a spare machine.");
    await t.getByRole("button", { name: "Post reply" }).click();
    await lucia.locator(".p-replies").getByText("I can bring a spare machine.").waitFor();
  });

  it("quotes a sentence of the article", async () => {
    await page.evaluate(() => {
      const paragraph = [...document.querySelectorAll(".story-body p")].find((p) => p.textContent?.startsWith("The renovation cost"));
      paragraph?.scrollIntoView({ block: "center" });
      const text = paragraph?.firstChild as Text;
      const sentence = "The renovation cost 2.4 million, paid from the city's capital budget.";
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, sentence.length);
      const selection = document.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    });
    const t = thread(page);
    await t.getByRole("button", { name: "Quote the selected text" }).click();
    await t.getByText("Quoting the article").waitFor();
    await t.getByRole("textbox", { name: "Write a comment" }).fill("What did the roof cost on its own?");
    await t.getByRole("button", { name: "Post comment" }).click();
    const posted = t.locator(".p-list > .p-item").first();
    await posted.getByText("What did the roof cost on its own?").waitFor();
    await posted.locator("blockquote.parley-quote", { hasText: "paid from the city's capital budget" }).waitFor();
  });

  it("edits and then deletes their own comment", async () => {
    const t = thread(page);
    const mine = t.locator(".p-list > .p-item").first();
    await mine.getByRole("button", { name: "More actions" }).first().click();
    await mine.getByRole("menuitem", { name: "Edit" }).click();
    await t.getByRole("textbox", { name: "Edit your comment" }).fill("What did the new roof cost on its own?");
    await t.getByRole("button", { name: "Save" }).click();
    await mine.getByText("What did the new roof cost on its own?").waitFor();
    await mine.locator(".p-edited").first().waitFor();
    await mine.getByRole("button", { name: "More actions" }).first().click();
    await mine.getByRole("menuitem", { name: "Delete" }).click();
    await mine.getByRole("group", { name: /Delete this comment/ }).getByRole("button", { name: "Delete" }).click();
    await mine.getByText("This comment was deleted.").waitFor();
  });

  it("reacts to a comment and takes the reaction back", async () => {
    const t = thread(page);
    const kwame = t.locator(".p-item", { has: page.getByText("The article should say what was actually done") }).first();
    const actions = kwame.locator(".p-actions").first();
    // One reactions control: it opens the choices and then shows the chosen one with its count.
    await actions.getByRole("button", { name: /^Reactions/ }).click();
    await actions.getByRole("menuitemcheckbox", { name: "Like" }).click();
    const chosen = actions.getByRole("button", { name: "Reactions: 1 (Like)" });
    await chosen.waitFor();
    assert.match((await chosen.textContent()) ?? "", /^\s*1\s*$/);
    await chosen.click();
    assert.equal(await actions.getByRole("menuitemcheckbox", { name: /Like/ }).getAttribute("aria-checked"), "true");
    await actions.getByRole("menuitemcheckbox", { name: /Like/ }).click();
    await actions.getByRole("button", { name: "Reactions" }).waitFor();
  });

  it("reports a comment with a reason", async () => {
    const t = thread(page);
    const nadia = t.locator(".p-item", { has: page.getByText("Finally! The evening hours make it possible") }).first();
    await nadia.locator(".p-actions").first().getByRole("button", { name: "More actions" }).click();
    await nadia.locator(".p-actions").first().getByRole("menuitem", { name: "Report" }).click();
    await t.getByRole("radio", { name: "Spam or advertising" }).check();
    await t.getByLabel("Anything a moderator should know (optional)").fill("Looks copied from elsewhere.");
    await t.getByRole("button", { name: "Send report" }).click();
    await t.getByText("Reported. Thank you; a moderator will look at it.").first().waitFor();
  });

  it("stays signed in on this site after a reload", async () => {
    await page.reload();
    await widgetReady(page);
    await thread(page).locator(".p-who", { hasText: "Signed in as Rosa Reader" }).waitFor();
  });

  it("posts with the keyboard alone", async () => {
    const keyboardOnly = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const p = await keyboardOnly.newPage();
    await p.goto(parley.base + ARTICLE);
    await widgetReady(p);
    const focusedText = () =>
      p.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.textContent ?? "";
      });
    let found = false;
    for (let i = 0; i < 60 && !found; i++) {
      await p.keyboard.press("Tab");
      found = (await focusedText()) === "Sign in to comment";
    }
    assert.ok(found, "the sign-in button is reachable with Tab");
    await p.keyboard.press("Enter");
    await thread(p).getByLabel("E-mail").waitFor();
    // Focus lands in the e-mail field; past the password, "Forgot your password?" and "Sign in" is "I am new here".
    for (let i = 0; i < 4; i++) await p.keyboard.press("Tab");
    assert.equal(await focusedText(), "I am new here");
    await p.keyboard.press("Enter");
    await thread(p).getByLabel("Name shown with your comments").waitFor();
    // Type only once the form has moved focus there (a loaded machine can lag a frame behind).
    await p.waitForFunction(() => document.querySelector("parley-thread")?.shadowRoot?.activeElement?.id === "p-name");
    await p.keyboard.type("Kim Keys");
    await p.keyboard.press("Tab");
    await p.keyboard.type(`kim.${Date.now()}@example.com`);
    await p.keyboard.press("Tab");
    await p.keyboard.type("correct horse battery staple");
    await p.keyboard.press("Enter");
    await thread(p).locator(".p-who", { hasText: "Signed in as Kim Keys" }).waitFor();
    // Signing in moves focus to the composer a frame later: type once it is there.
    await p.waitForFunction(() => document.querySelector("parley-thread")?.shadowRoot?.activeElement?.matches("textarea.p-field") ?? false);
    await p.keyboard.type("Typed and sent without a mouse.");
    await p.keyboard.press("Control+Enter");
    await thread(p).locator(".p-list > .p-item").first().getByText("Typed and sent without a mouse.").waitFor();
    await keyboardOnly.close();
  });
});
