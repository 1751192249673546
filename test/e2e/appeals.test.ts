import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser, openSession } from "../../src/accounts/service.js";
import { auth } from "../helpers.js";
import { seriousViolations } from "./axe.js";
import { browserSkip, parleyAndBrowser, signUpInWidget, thread, widgetReady } from "./harness.js";
import { shoot } from "./screens.js";

const ARTICLE = "/articles/riverside-library-reopens";
const PASSWORD = "correct horse battery staple";
const skip = browserSkip();

/**
 * EU DSA in the browser: a rejected reader reads the statement of reasons in the widget's
 * notifications and appeals; a second moderator decides the appeal in the desk.
 */
describe("statements of reasons and appeals in the widget and the desk", { skip }, () => {
  const suite = parleyAndBrowser();

  it("shows the author why their comment was rejected, takes their appeal, and lets another moderator reverse it", async () => {
    await buildAdmin();
    const { app, base } = suite.parley;
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(base + ARTICLE);
    await widgetReady(page);
    await signUpInWidget(page, "Rita Reader");
    const t = thread(page);
    await t.getByRole("textbox", { name: "Write a comment" }).fill("The library board ignored every petition we sent.");
    await t.getByRole("button", { name: "Post comment" }).click();
    const mine = t.locator(".p-list > .p-item", { hasText: "ignored every petition" });
    await mine.waitFor();
    const commentId = (await mine.getAttribute("data-comment-id")) ?? "";

    const first = await createUser(app.deps, { email: "first@example.com", password: PASSWORD, displayName: "Fran First", role: "moderator" });
    await createUser(app.deps, { email: "second@example.com", password: PASSWORD, displayName: "Sam Second", role: "moderator" });
    const token = (await openSession(app.deps, first, "password")).token;
    const rejected = await app.inject({
      method: "POST",
      url: `/api/v1/moderation/comments/${commentId}/decision`,
      headers: auth(token),
      payload: { action: "reject", reason: { code: "off-topic" } },
    });
    assert.equal(rejected.statusCode, 200, rejected.body);

    const bell = t.getByRole("button", { name: /^Notifications, \d+ unread$/ });
    await t.getByRole("button", { name: "Notifications, 1 unread" }).waitFor({ timeout: 10_000 });
    await bell.click();
    const list = t.getByRole("region", { name: "Notifications" });
    await list.getByText("Your comment was not published").waitFor();
    await list.getByText("Your comment was not about the article or the discussion").waitFor();
    await list.getByText(/You may appeal this decision until/).waitFor();
    await list.getByRole("button", { name: "Appeal" }).click();
    await list.getByLabel("Why should this decision be changed?").fill("It was about the library's board, the article's subject.");
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, "widget-appeal", { clip: t.locator(".p-notes"), height: 900 });
    await list.getByRole("button", { name: "Send the appeal" }).click();
    await list.getByText("Your appeal was sent. Another moderator will decide it.").waitFor();

    const desk = await context.newPage();
    await desk.goto(`${base}/admin`);
    await desk.getByLabel("E-mail").fill("second@example.com");
    await desk.getByLabel("Password").fill(PASSWORD);
    await desk.getByLabel("Password").press("Enter");
    await desk.getByRole("button", { name: "Sign out" }).waitFor();
    await desk.getByRole("link", { name: "Appeals" }).click();
    const item = desk.locator("li.appeal", { hasText: "Rita Reader" });
    await item.getByText("Fran First rejected it").waitFor();
    await item.getByText("It was about the library's board").waitFor();
    assert.deepEqual(await seriousViolations(desk), []);
    await shoot(desk, "desk-appeals", { height: 900 });
    await item.getByLabel("Note for the author").fill("You are right: the board is the article's subject.");
    await item.getByRole("button", { name: "Reverse and publish again" }).click();
    await desk.getByText("Reversed: Rita Reader has been told.").waitFor();
    const comment = await app.deps.store.db.selectFrom("comments").select("status").where("id", "=", commentId).executeTakeFirstOrThrow();
    assert.equal(comment.status, "published");
    await context.close();
  });
});
