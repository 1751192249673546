import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changeModerationSettings, DEFAULT_SITE_ID } from "../../src/moderation/settings.js";
import { createUser } from "../../src/accounts/service.js";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { post } from "../helpers.js";
import { seriousViolations } from "./axe.js";
import { browserSkip, parleyAndBrowser, thread, widgetReady } from "./harness.js";
import { shoot } from "./screens.js";

const skip = browserSkip();
const DAY = 86_400_000;

const page = (base: string, title: string, attrs: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
  `<body><main><h1>${title}</h1><p>The council met on Tuesday.</p>` +
  `<div id="parley-thread" ${attrs}></div>\n<script src="${base}/embed.js" async></script></main></body></html>`;

describe("a thread's policy, told to readers in the widget", { skip }, () => {
  const suite = parleyAndBrowser();

  it("says a thread closed by its schedule is closed, and when, with no way to comment", async () => {
    const { app, base, publisher } = suite.parley;
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { policy: { closeAfterDays: 3 } });
    const url = `${publisher}/news/old-vote`;
    const publishedAt = new Date(Date.now() - 5 * DAY).toISOString();
    const story = (await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(url)}&publishedAt=${publishedAt}` })).json();
    assert.equal(story.policy.closed, true);
    suite.parley.publish("/news/old-vote", page(base, "Last week's vote", `data-story-url="${url}"`));
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, locale: "en-GB", timezoneId: "Europe/London" });
    const tab = await context.newPage();
    await tab.goto(`${publisher}/news/old-vote`);
    await widgetReady(tab);
    const note = thread(tab).locator(".p-gate");
    await note.waitFor();
    const text = await note.innerText();
    assert.match(text, /Comments closed/);
    assert.match(text, /This thread closed to new comments on (\w+ \d{1,2}, \d{4}|\d{1,2} \w+ \d{4})/);
    assert.equal(await thread(tab).getByRole("button", { name: "Sign in to comment" }).count(), 0);
    assert.equal(await thread(tab).locator("textarea").count(), 0);
    assert.deepEqual(await seriousViolations(tab), []);
    await shoot(tab, "policy-closed", { clip: thread(tab), height: 600 });
    // An open thread says when it will close.
    const fresh = `${publisher}/news/new-vote`;
    suite.parley.publish("/news/new-vote", page(base, "Today's vote", `data-story-url="${fresh}"`));
    await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(fresh)}&publishedAt=${new Date().toISOString()}` });
    await tab.goto(`${publisher}/news/new-vote`);
    await widgetReady(tab);
    assert.match(await thread(tab).locator(".p-closes").innerText(), /Comments close on (\w+ \d{1,2}, \d{4}|\d{1,2} \w+ \d{4})/);
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { policy: { closeAfterDays: null } });
    await context.close();
  });

  it("tells a reader who is not a subscriber that subscribers can comment, links the publisher's page, and opens for a subscriber", async () => {
    const { app, base, publisher } = suite.parley;
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, {
      policy: { subscribeUrl: `${publisher}/subscribe`, sections: { members: { commenting: "subscribers" } } },
    });
    const url = `${publisher}/members/budget`;
    suite.parley.publish("/members/budget", page(base, "The budget, line by line", `data-story-url="${url}" data-section="Members"`));
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const tab = await context.newPage();
    await tab.goto(`${publisher}/members/budget`);
    await widgetReady(tab);
    const gate = thread(tab).locator(".p-gate");
    await gate.waitFor();
    assert.match(await gate.innerText(), /Subscribers can comment/);
    assert.match(await gate.innerText(), /Only subscribers can comment on this story/);
    assert.equal(await thread(tab).getByRole("link", { name: "Subscribe" }).getAttribute("href"), `${publisher}/subscribe`);
    assert.deepEqual(await seriousViolations(tab), []);
    await shoot(tab, "policy-subscribers-only", { clip: thread(tab), height: 600 });

    // A reader signs in with an account that is not a subscriber: still the same state, and who they are.
    await thread(tab).getByRole("button", { name: "Already a subscriber? Sign in" }).click();
    await thread(tab).getByRole("button", { name: "I am new here" }).click();
    await thread(tab).getByLabel("Name shown with your comments").fill("Nina Nonsubscriber");
    await thread(tab).getByLabel("E-mail").fill(`nina.${Date.now()}@example.com`);
    await thread(tab).getByLabel("Password").fill("correct horse battery staple");
    await thread(tab).getByRole("button", { name: "Create account" }).click();
    await thread(tab).locator(".p-gate-who", { hasText: "Signed in as Nina Nonsubscriber" }).waitFor();
    assert.match(await gate.innerText(), /Subscribers can comment/);
    assert.equal(await thread(tab).locator("textarea").count(), 0);
    await shoot(tab, "policy-subscribers-only-signed-in", { clip: thread(tab), height: 600 });

    // A subscriber (the entitlement comes from the publisher's sign-in) gets the composer.
    const sub = await createUser(app.deps, { email: `sam.${Date.now()}@example.com`, password: "correct horse battery staple", displayName: "Sam Subscriber" });
    await app.deps.store.db.updateTable("users").set({ entitlements: '["subscriber"]' }).where("id", "=", sub.id).execute();
    const other = await suite.browser.newContext({ viewport: { width: 390, height: 800 } });
    const subTab = await other.newPage();
    await subTab.goto(`${publisher}/members/budget`);
    await widgetReady(subTab);
    await thread(subTab).getByRole("button", { name: "Already a subscriber? Sign in" }).click();
    await thread(subTab).getByLabel("E-mail").fill(sub.email ?? "");
    await thread(subTab).getByLabel("Password").fill("correct horse battery staple");
    await thread(subTab).getByLabel("Password").press("Enter");
    await widgetReady(subTab);
    await thread(subTab).locator("textarea").first().waitFor();
    assert.equal(await thread(subTab).locator(".p-gate").count(), 0);
    await other.close();
    await context.close();
  });

  it("lets the desk filter a queue by section and split the dashboard by section", async () => {
    await buildAdmin();
    const { app, base, publisher } = suite.parley;
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { premod: { site: true } });
    const storyIn = async (path: string, section: string) =>
      (await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(publisher + path)}&section=${section}` })).json().id as string;
    const writer = await createUser(app.deps, { email: `wes.${Date.now()}@example.com`, password: "correct horse battery staple", displayName: "Wes Writer" });
    const { openSession } = await import("../../src/accounts/service.js");
    const token = (await openSession(app.deps, writer, "password")).token;
    await post(app, token, await storyIn("/politics/vote", "politics"), "The council vote was closer than the headline says.");
    await post(app, token, await storyIn("/sport/final", "sport"), "The final was decided by a penalty in the last minute.");
    await createUser(app.deps, { email: "dana@example.com", password: "correct horse battery staple", displayName: "Dana Desk", role: "admin" });
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const desk = await context.newPage();
    await desk.goto(`${base}/admin/queues/pending?section=politics`);
    await desk.getByLabel("E-mail").fill("dana@example.com");
    await desk.getByLabel("Password").fill("correct horse battery staple");
    await desk.getByLabel("Password").press("Enter");
    await desk.getByRole("button", { name: /Section politics/ }).waitFor();
    await desk.getByText("The council vote was closer").waitFor();
    assert.equal(await desk.getByText("decided by a penalty").count(), 0, "the sport comment is filtered out");
    await shoot(desk, "desk-queue-section");
    await desk.getByRole("link", { name: "Dashboard" }).click();
    const table = desk.locator("table.sections");
    await table.waitFor();
    const text = await table.innerText();
    assert.match(text, /politics/);
    assert.match(text, /sport/);
    await shoot(desk, "desk-dashboard-sections", { clip: desk.locator("section.panel", { has: table }) });
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { premod: { site: false } });
    await context.close();
  });

  it("lets an admin set the newsroom's policy in the desk's words: close date, night shift, a section's own rules", async () => {
    await buildAdmin();
    const { app, base } = suite.parley;
    const { moderationSettings } = await import("../../src/moderation/settings.js");
    await createUser(app.deps, { email: "polly@example.com", password: "correct horse battery staple", displayName: "Polly Policy", role: "admin" });
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "Europe/Berlin" });
    const desk = await context.newPage();
    await desk.goto(`${base}/admin/settings`);
    await desk.getByLabel("E-mail").fill("polly@example.com");
    await desk.getByLabel("Password").fill("correct horse battery staple");
    await desk.getByLabel("Password").press("Enter");
    const policy = desk.getByRole("group", { name: "Newsroom policy" });
    await policy.waitFor();
    await policy.getByLabel("New comments stop").first().selectOption({ label: "some days after publication" });
    await policy.getByLabel("Days after publication").first().fill("3");
    await policy.getByLabel("Subscription page, linked when only subscribers can comment").fill("https://news.example/subscribe");
    await policy.getByRole("button", { name: "Add a window" }).click();
    const window = policy.getByRole("group", { name: "Window 1" });
    await window.getByLabel("Sat").uncheck();
    await window.getByLabel("Sun").uncheck();
    assert.equal(await window.getByLabel("Time zone").inputValue(), "Europe/Berlin", "a new window starts in the desk's own time zone");
    await policy.getByLabel("Section name, as stories carry it").fill("Opinion");
    await policy.getByRole("button", { name: "Add section rules" }).click();
    const opinion = policy.getByRole("group", { name: "opinion" });
    await opinion.getByLabel("Who may comment").selectOption({ label: "subscribers only" });
    await opinion.getByLabel("Hold every comment in opinion for review").check();
    const saving = desk.waitForResponse((r) => r.url().includes("/api/v1/admin/settings") && r.request().method() === "PATCH");
    await desk.getByRole("button", { name: "Save moderation settings" }).click();
    assert.equal((await saving).status(), 200);
    await desk.getByText("Saved. The change is recorded in the audit log.").waitFor();
    let stored = (await moderationSettings(app.deps, DEFAULT_SITE_ID)).policy;
    assert.equal(stored.closeAfterDays, 3);
    assert.equal(stored.subscribeUrl, "https://news.example/subscribe");
    assert.deepEqual(stored.premodWindows, [{ days: [1, 2, 3, 4, 5], from: "22:00", to: "06:00", timeZone: "Europe/Berlin" }]);
    assert.deepEqual(stored.sections.opinion, { commenting: "subscribers", premod: true });
    await shoot(desk, "desk-policy", { clip: policy, maxHeight: 1400 });
    await desk.setViewportSize({ width: 390, height: 800 });
    // On a phone nothing of the desk runs off the screen (a fieldset is as wide as its widest option otherwise).
    assert.equal(await desk.evaluate(() => document.documentElement.scrollWidth), 390);
    await desk.setViewportSize({ width: 1280, height: 900 });

    // A time zone the server does not know is refused by name, and nothing changes.
    await window.getByLabel("Time zone").fill("Europe/Atlantis");
    await desk.getByRole("button", { name: "Save moderation settings" }).click();
    await desk.getByRole("alert").getByText(/Unknown time zone "Europe\/Atlantis"/).waitFor();
    assert.equal((await moderationSettings(app.deps, DEFAULT_SITE_ID)).policy.premodWindows[0].timeZone, "Europe/Berlin");

    // Back to "as the site says", and the section removed.
    await window.getByLabel("Time zone").fill("Europe/Berlin");
    await opinion.getByLabel("Who may comment").selectOption({ label: "as the site says" });
    await policy.getByRole("button", { name: "Remove window 1" }).click();
    const again = desk.waitForResponse((r) => r.url().includes("/api/v1/admin/settings") && r.request().method() === "PATCH");
    await desk.getByRole("button", { name: "Save moderation settings" }).click();
    assert.equal((await again).status(), 200);
    stored = (await moderationSettings(app.deps, DEFAULT_SITE_ID)).policy;
    assert.deepEqual(stored.sections.opinion, { premod: true });
    assert.deepEqual(stored.premodWindows, []);
    await policy.getByRole("button", { name: "Remove section opinion" }).click();
    const third = desk.waitForResponse((r) => r.url().includes("/api/v1/admin/settings") && r.request().method() === "PATCH");
    await desk.getByRole("button", { name: "Save moderation settings" }).click();
    assert.equal((await third).status(), 200);
    stored = (await moderationSettings(app.deps, DEFAULT_SITE_ID)).policy;
    assert.equal(stored.sections.opinion, undefined);
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { policy: { closeAfterDays: null, subscribeUrl: null } });
    await context.close();
  });
});
