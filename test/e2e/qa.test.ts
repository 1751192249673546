import { describe, it } from "node:test";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { browserSkip, parleyAndBrowser, signUpInWidget, thread, widgetReady } from "./harness.js";
import { shoot } from "./screens.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";

/** Issue 20 item 3: a Q&A story; a reader asks, the reporter answers from the desk, the question shows as answered. */
describe("Q&A stories", { skip }, () => {
  const suite = parleyAndBrowser();

  it("a question asked in the widget is answered from the desk's Questions view, and shows answered live", async () => {
    await buildAdmin();
    const { app, base, publisher } = suite.parley;
    const path = "/news/budget-qa";
    const admin = await createUser(app.deps, {
      email: "ad@example.com",
      password: PASSWORD,
      displayName: "Ada Admin",
      role: "admin",
    });
    const reporter = await createUser(app.deps, {
      email: "theo@example.com",
      password: PASSWORD,
      displayName: "Theo Marsh",
      role: "staff",
    });
    await app.deps.store.db
      .updateTable("users")
      .set({ badges: JSON.stringify(["Reporter"]) })
      .where("id", "=", reporter.id)
      .execute();
    const storyId = (
      await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(publisher + path)}` })
    ).json<{ id: string }>().id;
    await app.deps.store.db.updateTable("stories").set({ mode: "qa" }).where("id", "=", storyId).execute();
    void admin;
    suite.parley.publish(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Budget Q&amp;A</title></head><body><h1>Ask the reporter: the city budget</h1>` +
        `<div id="parley-thread"></div><script src="${base}/embed.js" async></script></body></html>`,
    );

    const reader = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await reader.goto(publisher + path);
    await widgetReady(reader);
    const t = thread(reader);
    await t.getByRole("heading", { name: "Questions and answers · 0 posts" }).waitFor();
    await t.getByRole("button", { name: "Answered first", pressed: true }).waitFor();
    await signUpInWidget(reader, "Rosa Reader");
    await t.getByPlaceholder("Ask the newsroom a question…").fill("Who pays for the library renovation?");
    await t.getByRole("button", { name: "Post comment" }).click();
    const question = t.locator(".p-item", { hasText: "Who pays for the library renovation?" }).first();
    await question.waitFor();

    const desk = await (
      await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })
    ).newPage();
    await desk.goto(`${base}/admin`);
    await desk.getByLabel("E-mail").fill("theo@example.com");
    await desk.getByLabel("Password").fill(PASSWORD);
    await desk.getByLabel("Password").press("Enter");
    await desk.getByRole("button", { name: "Sign out" }).waitFor();
    await desk.getByRole("link", { name: "Questions" }).click();
    const card = desk.locator("article.card", { hasText: "Who pays for the library renovation?" });
    await card.waitFor();
    await shoot(desk, "qa-desk", { height: 600 });
    await card.getByLabel("Your answer").fill("The city's capital budget: 2.4 million.");
    await card.getByRole("button", { name: "Publish answer" }).click();
    await desk.getByText("Every question has an answer.").waitFor();

    // Without a reload the question is marked answered.
    await question.locator(".p-badge.p-answered", { hasText: "Answered" }).first().waitFor();
    await reader.reload();
    await widgetReady(reader);
    const answered = thread(reader).locator(".p-item", { hasText: "Who pays for the library renovation?" }).first();
    await answered.locator(".p-badge.p-badge-claim", { hasText: "Reporter" }).waitFor();
    await answered.locator(".p-badge.p-badge-staff").waitFor();
    await shoot(reader, "qa-widget", { clip: thread(reader).locator("section.parley"), maxHeight: 700 });
  });

  it("the demo's second article tells the loop: a correction with evidence, a thank-you, a pick, a question the reporter answered", async () => {
    const page = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${suite.parley.base}/articles/canal-street-storm-drains`);
    await widgetReady(page);
    await page.getByRole("complementary", { name: "Corrections" }).getByText("August 2021 storm").waitFor();
    const t = thread(page);
    await t.getByRole("region", { name: "Editors’ picks" }).getByText("2021 flood report").waitFor();
    await t
      .locator(".p-item", { hasText: "Will the new pumps be working" })
      .locator(".p-badge.p-answered")
      .first()
      .waitFor();
    await t.getByText("Thank you for checking this, Marta").waitFor();
    await t.locator(".p-badge.p-badge-claim", { hasText: "Reporter" }).first().waitFor();
    await page.getByRole("complementary", { name: "Corrections" }).scrollIntoViewIfNeeded();
    await shoot(page, "demo-newsroom-loop", { height: 1100 });
  });
});
