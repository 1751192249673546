import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { changeAccountSettings } from "../../src/accounts/settings.js";
import { seriousViolations } from "./axe.js";
import { browserSkip, parleyAndBrowser, signUpInWidget, thread, widgetReady } from "./harness.js";
import { shoot } from "./screens.js";

const skip = browserSkip();
const ARTICLE = "/articles/riverside-library-reopens";

/** Per comment: its tab stops (its own text's links aside), its smallest control, and whether its actions wrap or overflow. */
function measure(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector("parley-thread")?.shadowRoot;
    return [...(root?.querySelectorAll("article.p-comment:not([data-removed])") ?? [])].map((article) => {
      const stops = [
        ...article.querySelectorAll<HTMLElement>("a[href], button, input, textarea, select, [tabindex]"),
      ].filter(
        (el) => el.tabIndex >= 0 && !el.closest(".p-body") && !el.closest(".p-menu") && el.getClientRects().length > 0,
      );
      const actions = article.querySelector<HTMLElement>(".p-actions");
      const buttons = [...(actions?.querySelectorAll<HTMLElement>("button") ?? [])].filter(
        (b) => !b.closest(".p-menu"),
      );
      const tops = new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
      return {
        stops: stops.length,
        smallest: Math.min(
          ...buttons.map((b) => Math.min(b.getBoundingClientRect().width, b.getBoundingClientRect().height)),
        ),
        rows: tops.size,
        overflow: actions ? actions.scrollWidth - actions.clientWidth : 0,
      };
    });
  });
}

describe("a calmer comment", { skip }, () => {
  const suite = parleyAndBrowser();

  it("has one reactions control, Helpful / Not helpful, Reply and More: at most 3 tab stops, 44 px targets, one row at 390 px", async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(suite.parley.base + ARTICLE);
    await widgetReady(page);
    await signUpInWidget(page, "Cal Calm");
    const t = thread(page);
    await t.getByText("To quote the article, select a sentence in it.").waitFor();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(100);
      const comments = await measure(page);
      assert.ok(comments.length >= 5, "the demo thread's comments");
      for (const c of comments) {
        assert.ok(c.stops <= 3, `at ${width} px a comment has ${c.stops} tab stops`);
        assert.ok(c.smallest >= 44, `at ${width} px a control is ${c.smallest} px`);
        assert.equal(c.rows, 1, `at ${width} px the actions wrap`);
        assert.ok(c.overflow <= 0, `at ${width} px the actions overflow by ${c.overflow} px`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // The keyboard: one Tab into the toolbar, arrows within it.
    const kwame = t
      .locator(".p-item", { has: page.getByText("The article should say what was actually done") })
      .first();
    const toolbar = kwame.getByRole("toolbar").first();
    await toolbar.getByRole("button", { name: /^Reactions/ }).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(
      await toolbar.getByRole("button", { name: "Helpful", exact: true }).evaluate((b) => b.matches(":focus")),
      true,
    );
    await page.keyboard.press("End");
    const more = toolbar.getByRole("button", { name: "More actions" });
    assert.equal(await more.evaluate((b) => b.matches(":focus")), true);
    await page.keyboard.press("Enter");
    const menu = toolbar.getByRole("menu", { name: "More actions" });
    await menu.getByRole("menuitem", { name: /^Quote/ }).waitFor();
    for (const item of ["Copy link", "Report"]) await menu.getByRole("menuitem", { name: item }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await kwame.locator("article").first().scrollIntoViewIfNeeded();
    await shoot(page, "widget-more-menu", { clip: kwame.locator("article").first(), height: 900, below: 240 });
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    assert.equal(await more.evaluate((b) => b.matches(":focus")), true, "focus returns to More");

    // Quote from the menu quotes the comment's first paragraph (or the selection) into the composer.
    await more.click();
    await menu.getByRole("menuitem", { name: /^Quote/ }).click();
    await t.getByText(/Quoting Kwame/).waitFor();
    // Nothing sticks out of the thread at 390 px, the open reply composer and its quote included.
    await page.setViewportSize({ width: 390, height: 900 });
    await page.waitForTimeout(100);
    const outside = await page.evaluate(() => {
      const root = document.querySelector("parley-thread")?.shadowRoot;
      const edge = Math.min(
        root?.querySelector("section.parley")?.getBoundingClientRect().right ?? 0,
        document.documentElement.clientWidth,
      );
      return [...(root?.querySelectorAll("button, a, input, textarea") ?? [])]
        .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > edge + 1)
        .map((el) => el.textContent?.trim() || el.getAttribute("aria-label") || el.localName);
    });
    assert.deepEqual(outside, []);
    await page.setViewportSize({ width: 1280, height: 900 });

    await toolbar.getByRole("button", { name: /^Reactions/ }).click();
    await toolbar
      .getByRole("menu", { name: /^Reactions/ })
      .getByRole("menuitemcheckbox", { name: "Insightful" })
      .waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, "widget-reactions-menu", { clip: kwame.locator("article").first(), height: 900, below: 170 });
    await page.keyboard.press("Escape");
    // The bell and Follow are inline SVG (no emoji font needed); Follow is a toggle, not a fifth sort tab.
    const header = t.locator("header.p-head");
    assert.equal(await header.locator(".p-bell button svg").count(), 1);
    assert.doesNotMatch(await header.innerText(), /\u{1F514}/u);
    const follow = header.getByRole("button", { name: "Follow this story" });
    assert.equal(await follow.getAttribute("aria-pressed"), "false");
    assert.equal(await follow.locator("svg").count(), 1);
    await follow.click();
    await header.locator('button[aria-pressed="true"]', { hasText: "Follow this story" }).waitFor();
    await shoot(page, "widget-header", { clip: header, height: 900 });
    await shoot(page, "widget-thread", { clip: t.locator("section.parley"), height: 1600, maxHeight: 1100 });
    await context.close();
  });

  it("signs in, signs up with the password rules shown before typing, or mails a reset link, in one form", async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(suite.parley.base + ARTICLE);
    await widgetReady(page);
    const t = thread(page);
    await t.getByRole("button", { name: "Sign in to comment" }).click();
    await t.getByRole("button", { name: "More ways to sign in" }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, "widget-sign-in", { clip: t.locator("form.p-signin"), height: 900 });
    await t.getByRole("button", { name: "I am new here" }).click();
    const password = t.getByLabel("Password");
    assert.equal(await password.inputValue(), "");
    await t.getByText("At least 10 characters, and not a common password.").waitFor();
    assert.equal(await password.getAttribute("aria-describedby"), "p-password-rules");
    await shoot(page, "widget-sign-up", { clip: t.locator("form.p-signin"), height: 900 });
    await t.getByRole("button", { name: "I already have an account" }).click();
    await t.getByRole("button", { name: "Forgot your password?" }).click();
    await t.getByRole("heading", { name: "Reset your password" }).waitFor();
    await t.getByLabel("E-mail").fill("nobody-in-particular@example.com");
    await t.getByRole("button", { name: "Send me a link" }).click();
    await t
      .getByRole("status")
      .getByText("If this address has an account, a link to choose a new password is on its way.")
      .waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await t.getByRole("button", { name: "Back to sign in" }).click();
    await t.getByRole("button", { name: "More ways to sign in" }).waitFor();
    await t.getByRole("button", { name: "Cancel" }).click();

    // Where the site requires a confirmed address, the refusal offers the link again.
    const { deps } = suite.parley.app;
    await changeAccountSettings(deps, "default", { requireVerifiedEmail: true });
    try {
      await signUpInWidget(page, "Vera Verify");
      await t.getByRole("textbox", { name: "Write a comment" }).fill("My first comment.");
      await t.getByRole("button", { name: "Post comment" }).click();
      await t.getByText("Confirm your e-mail address before posting here.").waitFor();
      await t.getByRole("button", { name: "Send me the confirmation link again" }).click();
      await t.getByText("Sent. Open the link in the e-mail, then post again.").waitFor();
      assert.deepEqual(await seriousViolations(page), []);
    } finally {
      await changeAccountSettings(deps, "default", { requireVerifiedEmail: false });
    }
    await context.close();
  });
});
