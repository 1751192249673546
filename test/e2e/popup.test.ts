import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seriousViolations } from "./axe.js";
import { browserSkip, parleyAndBrowser } from "./harness.js";
import { shoot } from "./screens.js";

const skip = browserSkip();

describe("the sign-in window", { skip }, () => {
  const suite = parleyAndBrowser();

  it("signs a reader in, or up, in one styled page, with the password rules shown before typing", async () => {
    // axe runs as an injected script, which the page's nonce-only CSP would otherwise refuse.
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${suite.parley.base}/auth/popup?origin=${encodeURIComponent(suite.parley.base)}`);
    await page.getByRole("heading", { name: "Sign in to comment" }).waitFor();
    await page.getByRole("link", { name: "Forgot your password?" }).waitFor();
    const button = page.getByRole("button", { name: "Sign in" });
    const box = await button.boundingBox();
    assert.ok(box && box.height >= 44, "a 44 px target");
    assert.notEqual(await button.evaluate((b) => getComputedStyle(b).backgroundColor), "rgb(239, 239, 239)", "not the browser's default button");
    await shoot(page, "signin-window");
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    assert.ok(await page.getByText("At least 10 characters, and not a common password.").isVisible(), "rules before typing");
    await shoot(page, "signin-window-create");
    assert.deepEqual(await seriousViolations(page), []);
    const form = page.locator("form#signup");
    await form.getByLabel("Name shown with your comments").fill("Wendy Window");
    await form.getByLabel("E-mail").fill(`wendy-${Date.now()}@example.com`);
    await form.getByLabel("Password").fill("1234567890");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("alert").filter({ hasText: /password/i }).waitFor();
    await form.getByLabel("Password").fill("a window of one's own");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Signed in. You can close this window.").waitFor();
    await context.close();
  });
});
