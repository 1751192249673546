import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { post, signup } from "../helpers.js";
import { seriousViolations } from "./axe.js";
import { PUBLISHER, browserSkip, parleyAndBrowser } from "./harness.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";

describe("a copy in the moderator's desk", { skip }, () => {
  const suite = parleyAndBrowser();

  it("names the reason in words and links the original comment in its thread", async () => {
    await buildAdmin();
    const { app, base } = suite.parley;
    const storyUrl = `${PUBLISHER}/harbour-bridge`;
    const storyId = (await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}` })).json().id as string;
    const text = "The harbour bridge closure will add forty minutes to every commute from the east side, and nobody asked us.";
    const original = await post(app, (await signup(app, "Olive Original")).token, storyId, text);
    const copy = await post(app, (await signup(app, "Cody Copier")).token, storyId, text);
    assert.equal(copy.status, "pending");
    await createUser(app.deps, { email: "copies-mod@example.com", password: PASSWORD, displayName: "Mona Moderator", role: "moderator" });

    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/admin`);
    await page.getByLabel("E-mail").fill("copies-mod@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await page.goto(`${base}/admin/queues/pending?story=${storyId}`);
    const card = page.locator("article.card", { hasText: "Cody Copier" });
    await card.getByText("copy of another reader's comment").waitFor();
    const link = card.getByRole("link", { name: "See the original by Olive Original" });
    assert.equal(await link.getAttribute("href"), `${storyUrl}#comment-${original.id}`);
    assert.deepEqual(await seriousViolations(page), []);
    await context.close();
  });
});
