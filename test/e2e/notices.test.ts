import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { seriousViolations } from "./axe.js";
import { browserSkip, parleyAndBrowser, thread, widgetReady } from "./harness.js";
import { shoot } from "./screens.js";

const ARTICLE = "/articles/riverside-library-reopens";
const PASSWORD = "correct horse battery staple";
const skip = browserSkip();

/**
 * EU DSA Art. 16 in the browser: a reader who is not signed in finds "Notify illegal content" in
 * a comment's menu, sends a notice on the notice page (a notice without an explanation is refused
 * and stores nothing), and a moderator finds it first in the Reported queue with its explanation.
 */
describe("notices of illegal content on the notice page and in the desk", { skip }, () => {
  const suite = parleyAndBrowser();

  it("takes a notice from a reader without an account and shows it first in the desk's Reported queue", async () => {
    await buildAdmin();
    const { app, base } = suite.parley;
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(base + ARTICLE);
    await widgetReady(page);
    const t = thread(page);
    const nadia = t.locator(".p-item", { has: page.getByText("Finally! The evening hours make it possible") }).first();
    const commentId = (await nadia.getAttribute("data-comment-id")) ?? "";
    await nadia.locator(".p-actions").first().getByRole("button", { name: "More actions" }).click();
    const link = nadia.locator(".p-actions").first().getByRole("menuitem", { name: "Notify illegal content" });
    assert.equal(await link.getAttribute("href"), `${base}/notice?comment=${commentId}`);
    const [noticeTab] = await Promise.all([context.waitForEvent("page"), link.click()]);
    await noticeTab.waitForLoadState();
    assert.equal(new URL(noticeTab.url()).pathname, "/notice");
    await noticeTab.getByRole("heading", { name: "Notify illegal content" }).waitFor();
    await noticeTab.locator("blockquote.quoted", { hasText: "Finally! The evening hours" }).waitFor();
    assert.deepEqual(await seriousViolations(noticeTab), []);
    await shoot(noticeTab, "notice-page", { height: 1100 });

    // Blank explanations pass the browser's `required`; the server refuses them and stores nothing.
    await noticeTab.getByLabel("The law concerned").fill("Criminal Code, section 186 (defamation)");
    await noticeTab.getByLabel("Why the comment is illegal").fill("   ");
    await noticeTab.getByLabel(/I believe in good faith/).check();
    await noticeTab.getByRole("button", { name: "Send the notice" }).click();
    await noticeTab.getByRole("alert").getByText(/a notice without an explanation cannot be reviewed/).waitFor();
    assert.equal(await noticeTab.getByLabel("The law concerned").inputValue(), "Criminal Code, section 186 (defamation)", "what the reader wrote stays");
    const none = await app.deps.store.db.selectFrom("notices").select("id").execute();
    assert.deepEqual(none, []);

    await noticeTab.getByLabel("Why the comment is illegal").fill("It says a named librarian stole the fund's money, which is false and defamatory.");
    await noticeTab.getByLabel("Your e-mail address (optional)").fill("reader@example.org");
    await noticeTab.getByLabel(/I believe in good faith/).check();
    await noticeTab.getByRole("button", { name: "Send the notice" }).click();
    await noticeTab.getByRole("heading", { name: "Notice received" }).waitFor();
    await noticeTab.getByRole("status").getByText(/We sent a receipt to your address/).waitFor();
    assert.deepEqual(await seriousViolations(noticeTab), []);
    await shoot(noticeTab, "notice-received", { height: 700 });
    const stored = await app.deps.store.db.selectFrom("notices").selectAll().execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0].comment_id, commentId);
    assert.equal(stored[0].reporter_id, null);

    // The article page links the notice page too.
    await page.reload();
    assert.equal(await page.getByRole("link", { name: "Send a notice of illegal content" }).getAttribute("href"), "/notice");

    await createUser(app.deps, { email: "moderator@example.com", password: PASSWORD, displayName: "Mo Moderator", role: "moderator" });
    const desk = await context.newPage();
    await desk.goto(`${base}/admin`);
    await desk.getByLabel("E-mail").fill("moderator@example.com");
    await desk.getByLabel("Password").fill(PASSWORD);
    await desk.getByLabel("Password").press("Enter");
    await desk.getByRole("button", { name: "Sign out" }).waitFor();
    await desk.goto(`${base}/admin/queues/reported`);
    const first = desk.locator("article").first();
    await first.getByRole("region", { name: "A notice of illegal content" }).waitFor();
    await first.getByText("It says a named librarian stole the fund's money").waitFor();
    await first.getByText(/sent without an account, who gets the decision by e-mail/).waitFor();
    assert.deepEqual(await seriousViolations(desk), []);
    await shoot(desk, "desk-notice", { height: 900 });
    const [decided] = await Promise.all([
      desk.waitForResponse((r) => r.request().method() === "POST" && /\/decision/.test(r.url())),
      first.getByRole("button", { name: /Keep/ }).click(),
    ]);
    assert.equal(decided.status(), 200);
    const closed = await app.deps.store.db.selectFrom("notices").select("status").executeTakeFirstOrThrow();
    assert.equal(closed.status, "dismissed", "keeping the comment dismisses the notice");

    // The dashboard: the moderators' decisions and times, and the backlog alert's state.
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { backlogAlertMinutes: 60 });
    await desk.goto(`${base}/admin/dashboard`);
    const moderators = desk.getByRole("region", { name: "Moderators" });
    await moderators.getByRole("rowheader", { name: "Mo Moderator" }).waitFor();
    await desk.getByText("The admins are alerted when a comment waits over 60 minutes").waitFor();
    assert.deepEqual(await seriousViolations(desk), []);
    await shoot(desk, "desk-dashboard-moderators", { clip: moderators, height: 900 });
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { backlogAlertMinutes: null });
    await context.close();
  });
});
