import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { browserSkip, parleyAndBrowser, signUpInWidget, thread, widgetReady } from "./harness.js";
import { shoot } from "./screens.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";
const ARTICLE = "/articles/riverside-library-reopens";
const PASSAGE = "The renovation cost 2.4 million";

/** Issue 20 item 1: a reader suggests a correction on Parley's article page; the newsroom accepts it in the desk. */
describe("corrections from the article to the newsroom and back", { skip }, () => {
  const suite = parleyAndBrowser();

  it("a correction accepted in the desk appears on the open article without a reload", async () => {
    await buildAdmin();
    const { app, base } = suite.parley;
    const reader = await (await suite.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await reader.goto(base + ARTICLE);
    await widgetReady(reader);
    await signUpInWidget(reader, "Rosa Reader");
    const t = thread(reader);

    // A passage that is not in the article is refused with a sentence the reader can act on.
    await t.getByRole("button", { name: "Suggest a correction" }).click();
    const form = t.getByRole("form", { name: "Suggest a correction" });
    await form.getByLabel("The passage that is wrong").fill("The renovation cost 9 million");
    await form.getByLabel("What is wrong, and what is right").fill("The council minutes give 3.1 million, not 2.4.");
    await form.getByLabel("A link to your evidence").fill("https://council.example/minutes/2026-10");
    await form.getByRole("button", { name: "Send to the newsroom" }).click();
    await form.getByRole("alert").getByText("not in the article").waitFor();

    await form.getByLabel("The passage that is wrong").fill(PASSAGE);
    await form.getByRole("button", { name: "Send to the newsroom" }).click();
    await t.getByText("The newsroom will review your suggestion").waitFor();
    assert.equal(await t.getByRole("form", { name: "Suggest a correction" }).count(), 0);

    await createUser(app.deps, {
      email: "edna@example.com",
      password: PASSWORD,
      displayName: "Edna Editor",
      role: "staff",
    });
    const desk = await (
      await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })
    ).newPage();
    await desk.goto(`${base}/admin`);
    await desk.getByLabel("E-mail").fill("edna@example.com");
    await desk.getByLabel("Password").fill(PASSWORD);
    await desk.getByLabel("Password").press("Enter");
    await desk.getByRole("button", { name: "Sign out" }).waitFor();
    // The newsroom sees its Corrections queue, not the moderators' queues.
    assert.equal(await desk.getByRole("link", { name: "Queues" }).count(), 0);
    const card = desk.locator("article.card", { hasText: "3.1 million" });
    await card.getByText("Rosa Reader").waitFor();
    await card.getByRole("link", { name: "https://council.example/minutes/2026-10" }).waitFor();
    await card.locator("blockquote.passage", { hasText: PASSAGE }).waitFor();
    await shoot(desk, "corrections-desk", { height: 700 });

    await card
      .getByLabel("Correction readers will see")
      .fill("An earlier version gave the renovation's cost as 2.4 million; it was 3.1 million.");
    await card.getByRole("button", { name: "Publish correction" }).click();
    await desk.getByText("No suggested corrections wait for a decision.").waitFor();

    // The reader's page was never reloaded: the correction arrives live in the article, dated, once.
    const block = reader.getByRole("complementary", { name: "Corrections" });
    await block.getByText("it was 3.1 million").waitFor();
    await block.getByText(/Correction, /).waitFor();
    assert.equal(await t.getByRole("region", { name: "Corrections" }).count(), 0, "not a second time above the thread");
    await block.scrollIntoViewIfNeeded();
    await shoot(reader, "corrections-article", { height: 900 });

    // A fresh load prints it in the article from the server.
    await reader.reload();
    await reader.locator("article.story aside.corrections", { hasText: "it was 3.1 million" }).waitFor();
    assert.equal(await reader.locator("aside.corrections li").count(), 1);
  });

  it("on a publisher's page, the widget shows the correction above the thread as soon as it is accepted", async () => {
    const { app, publisher, base } = suite.parley;
    const path = "/news/convoy-video";
    const story = await app.inject({
      method: "GET",
      url: `/api/v1/stories/resolve?url=${encodeURIComponent(publisher + path)}`,
    });
    const storyId = story.json<{ id: string }>().id;
    suite.parley.publish(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Convoy</title></head><body><h1>Convoy filmed near the border</h1>` +
        `<div id="parley-thread"></div><script src="${base}/embed.js" async></script></body></html>`,
    );
    const page = await (await suite.browser.newContext()).newPage();
    await page.goto(publisher + path);
    await widgetReady(page);

    const rosa = await createUser(app.deps, {
      email: "rosa2@example.com",
      password: PASSWORD,
      displayName: "Rosa Second",
      role: "commenter",
    });
    const editor = await createUser(app.deps, {
      email: "ed2@example.com",
      password: PASSWORD,
      displayName: "Ed Second",
      role: "staff",
    });
    const token = async (email: string) =>
      (await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: PASSWORD } })).json<{
        token: string;
      }>().token;
    await app.deps.store.db
      .updateTable("users")
      .set({ email_verified_at: Date.now() })
      .where("id", "in", [rosa.id, editor.id])
      .execute();
    const suggested = await app.inject({
      method: "POST",
      url: `/api/v1/stories/${storyId}/corrections`,
      headers: { authorization: `Bearer ${await token("rosa2@example.com")}` },
      payload: {
        body: "This video is from 2014: the same convoy is in an archived report.",
        evidenceUrl: "https://archive.example/2014/convoy",
      },
    });
    assert.equal(suggested.statusCode, 201, suggested.body);
    const decided = await app.inject({
      method: "POST",
      url: `/api/v1/moderation/corrections/${suggested.json<{ correction: { id: string } }>().correction.id}/decision`,
      headers: { authorization: `Bearer ${await token("ed2@example.com")}` },
      payload: {
        action: "accept",
        note: "An earlier version said the video was filmed this week. It dates from 2014.",
      },
    });
    assert.equal(decided.statusCode, 200, decided.body);
    const block = thread(page).getByRole("region", { name: "Corrections" });
    await block.getByText("It dates from 2014.").waitFor();
    await shoot(page, "corrections-widget", { clip: thread(page).locator("section.parley"), maxHeight: 700 });
  });
});
