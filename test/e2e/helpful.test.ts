import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createUser } from "../../src/accounts/service.js";
import { postComment, signup } from "../helpers.js";
import { type Parley, browserSkip, launch, signUpInWidget, startParley, thread, widgetReady } from "./harness.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";
const PATH = "/news/bus-lanes-vote";

/**
 * Issue 6 item 3 and issue 12 item 6 in the widget, on a publisher's own page (another
 * origin than Parley's): sign-in through Parley's popup window, the "Most helpful" order,
 * the helpful badge and the Helpful / Not helpful ratings.
 */
describe("the widget on a publisher's page: popup sign-in and helpful ratings", { skip }, () => {
  let parley: Parley;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ids: Record<string, string> = {};

  const ratingOf = async (commentId: string) => {
    const row = await parley.app.deps.store.db
      .selectFrom("ratings")
      .select("value")
      .where("comment_id", "=", commentId)
      .executeTakeFirst();
    return row?.value;
  };

  before(async () => {
    [parley, browser] = await Promise.all([startParley(), launch()]);
    const { app } = parley;
    await createUser(app.deps, { email: "pia@example.com", password: PASSWORD, displayName: "Pia Popup" });
    const storyUrl = parley.publisher + PATH;
    const story = await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(storyUrl)}&title=Bus%20lanes` });
    const storyId = story.json<{ id: string }>().id;
    const author = await signup(app, "Omar Older");
    for (const [key, body] of [
      ["bridging", "Both the cyclists and the bus drivers asked for the same thing: a lane that is actually enforced."],
      ["plain", "I take the 14 every morning and it has been late all week."],
    ]) {
      const res = await postComment(app, author.token, storyId, { body });
      assert.equal(res.statusCode, 201, res.body);
      ids[key] = res.json<{ comment: { id: string } }>().comment.id;
    }
    // As a refit would store it: scored high and badged. Written before any page is served, so no cache holds the old order.
    await app.deps.store.db
      .updateTable("comments")
      .set({ bridge_rank: 0.45, bridge_intercept: 0.52, bridge_factor: 0.08, bridge_ratings: 12, bridge_badge: 1 })
      .where("id", "=", ids.bridging)
      .execute();
    parley.publish(
      PATH,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bus lanes</title></head><body><h1>Bus lanes</h1>` +
        `<div id="parley-thread"></div><script src="${parley.base}/embed.js" async></script></body></html>`,
    );
    context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  it("signs in through Parley's popup window, ignoring a session posted by anyone else", async () => {
    await page.goto(parley.publisher + PATH);
    await widgetReady(page);
    const t = thread(page);
    await t.getByRole("button", { name: "Sign in to comment" }).click();
    const [popup] = await Promise.all([page.waitForEvent("popup"), t.getByRole("button", { name: "More ways to sign in" }).click()]);
    await popup.waitForLoadState();
    assert.equal(new URL(popup.url()).origin, parley.base);
    assert.equal(new URL(popup.url()).searchParams.get("origin"), parley.publisher);
    // The host page itself (or any script on it) posting a session must not sign the reader in.
    await page.evaluate(() =>
      window.postMessage({ type: "parley:session", token: "forged", user: { id: "x", displayName: "Mallory", avatarUrl: "", role: "admin", badges: [], createdAt: "" } }, "*"),
    );
    await page.waitForTimeout(300);
    assert.equal(await t.getByText("Signed in as Mallory").count(), 0);
    await popup.getByLabel("E-mail").fill("pia@example.com");
    await popup.getByLabel("Password").fill(PASSWORD);
    await Promise.all([popup.waitForEvent("close"), popup.getByRole("button", { name: "Sign in" }).click()]);
    await t.locator(".p-who", { hasText: "Signed in as Pia Popup" }).waitFor();
    await t.getByRole("textbox", { name: "Write a comment" }).fill("Signed in through the window; posting works.");
    await t.getByRole("button", { name: "Post comment" }).click();
    const mine = t.locator(".p-list > .p-item").first();
    await mine.getByText("Signed in through the window; posting works.").waitFor();
    // The session is kept for this site like the e-mail form's.
    const stored = await page.evaluate((base) => localStorage.getItem(`parley:session:${base}`), parley.base);
    assert.match(stored ?? "", /"displayName":"Pia Popup"/);
    // No rating buttons on one's own comment.
    assert.equal(await mine.getByRole("group", { name: "Was this comment helpful?" }).count(), 0);
  });

  it("orders by 'Most helpful', explains why, and shows the badge", async () => {
    const t = thread(page);
    await t.getByRole("button", { name: "Most helpful" }).click();
    await t.locator('button[aria-pressed="true"]', { hasText: "Most helpful" }).waitFor();
    await t.locator(".p-list > .p-item").first().getByText("a lane that is actually enforced").waitFor();
    const why = t.getByRole("button", { name: "Why this order?" });
    const text = t.getByText("Ranked by helpful ratings from readers who usually disagree with each other.");
    assert.equal(await text.isVisible(), false);
    await why.click();
    await text.waitFor();
    assert.equal(await why.getAttribute("aria-expanded"), "true");
    const badged = t.locator(".p-item", { hasText: "a lane that is actually enforced" }).first();
    await badged.getByText("Readers agree this is helpful").waitFor();
    const plain = t.locator(".p-item", { hasText: "late all week" }).first();
    assert.equal(await plain.getByText("Readers agree this is helpful").count(), 0);
  });

  /** Rates a comment with the keyboard alone: Helpful, then Not helpful, then takes the rating back. */
  async function rateWithKeyboard(p: Page, text: string) {
    const item = thread(p).locator(".p-item", { hasText: text }).first();
    const commentId = (await item.getAttribute("data-comment-id")) as string;
    const group = item.getByRole("group", { name: "Was this comment helpful?" }).first();
    const helpful = group.getByRole("button", { name: "Helpful", exact: true });
    const notHelpful = group.getByRole("button", { name: "Not helpful", exact: true });
    assert.equal(await helpful.getAttribute("aria-pressed"), "false");
    await helpful.focus();
    await p.keyboard.press("Enter");
    await group.locator('button[aria-pressed="true"]', { hasText: /^Helpful$/ }).waitFor();
    assert.equal(await ratingOf(commentId), 1);
    await notHelpful.focus();
    await p.keyboard.press("Space");
    await group.locator('button[aria-pressed="true"]', { hasText: "Not helpful" }).waitFor();
    assert.equal(await helpful.getAttribute("aria-pressed"), "false");
    assert.equal(await ratingOf(commentId), 0);
    await p.keyboard.press("Space");
    await group.locator('button[aria-pressed="true"]').waitFor({ state: "detached" });
    assert.equal(await ratingOf(commentId), undefined);
  }

  it("rates with the keyboard on Parley's own article page", async () => {
    const p = await context.newPage();
    await p.goto(`${parley.base}/articles/riverside-library-reopens`);
    await widgetReady(p);
    await signUpInWidget(p, "Kai Keys");
    await rateWithKeyboard(p, "The article should say what was actually done");
    await p.close();
  });

  it(
    "rates with the keyboard on the publisher's page",
    // A cross-origin PUT: the API's CORS preflight must allow it.
    async () => {
      await rateWithKeyboard(page, "late all week");
    },
  );

  it("takes over a thread the server rendered in 'Most helpful' order, with its menu and explanation", async () => {
    const p = await context.newPage();
    const seen: string[] = [];
    p.on("console", (m) => seen.push(`console ${m.type()}: ${m.text()}`));
    p.on("pageerror", (e) => seen.push(`page error: ${e.message}`));
    p.on("request", (r) => seen.push(`${r.method()} ${r.url()}`));
    await p.goto(`${parley.base}/articles/riverside-library-reopens?sort=best`);
    await widgetReady(p);
    const t = thread(p);
    await t
      .locator('button[aria-pressed="true"]', { hasText: "Most helpful" })
      .waitFor({ timeout: 15_000 })
      .catch(async (e: unknown) => {
        const sorts = await t.locator(".p-sort").first().evaluate((el) => el.outerHTML).catch(() => "no .p-sort");
        throw new Error(`${String(e)}\nsort switch: ${sorts}\n${seen.join("\n")}`);
      });
    const why = t.getByRole("button", { name: "Why this order?" });
    await why.click();
    await t.getByText("Ranked by helpful ratings from readers who usually disagree with each other.").waitFor();
    assert.equal(await t.locator("details.p-why").count(), 0, "the server's <details> gave way to the widget's button");
    await t.getByRole("button", { name: "Newest" }).click();
    await why.waitFor({ state: "detached" });
    await p.close();
  });

  it("offers no rating buttons to a reader who is not signed in", async () => {
    const anonymous = await browser.newContext();
    const p = await anonymous.newPage();
    await p.goto(parley.publisher + PATH);
    await widgetReady(p);
    await thread(p).getByText("late all week").waitFor();
    assert.equal(await thread(p).getByRole("group", { name: "Was this comment helpful?" }).count(), 0);
    await anonymous.close();
  });
});
