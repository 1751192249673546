import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { post, signup } from "../helpers.js";
import { seriousViolations } from "./axe.js";
import { PUBLISHER, browserSkip, parleyAndBrowser } from "./harness.js";
import { shoot } from "./screens.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";

describe("moderator actions that finish the job", { skip }, () => {
  const suite = parleyAndBrowser();

  it("selects in bulk, shows each card in its thread, and bans a reader while rejecting their comments in one step", async () => {
    await buildAdmin();
    const { app, base } = suite.parley;
    const resolve = async (path: string, title: string) => {
      const id = (
        await app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(PUBLISHER + path)}` })
      ).json().id as string;
      // The newsroom names its stories: a page's own title is taken only when signed.
      await app.deps.store.db.updateTable("stories").set({ title }).where("id", "=", id).execute();
      return id;
    };
    const library = await resolve("/riverside-library", "Riverside library to close on Sundays");
    const market = await resolve("/market", "Market hall reopens");
    const ann = await signup(app, "Ann Neighbour");
    const troy = await signup(app, "Troy Troll");
    const [new1, new2] = [await signup(app, "Nia New"), await signup(app, "Ned New")];
    const annComment = await post(app, ann.token, library, "Sunday is the only day I can take my kids.");
    await post(app, troy.token, library, "Libraries are a waste of money.");
    await post(app, troy.token, library, "Nobody reads anymore.");
    await post(app, troy.token, market, "The market is a scam too.");
    for (const user of [troy, new1, new2])
      await app.deps.store.db.updateTable("users").set({ premod: 1 }).where("id", "=", user.id).execute();
    await post(app, new1.token, library, "Could the council fund volunteers?");
    await post(app, new2.token, library, "The Saturday hours could be longer instead.");
    await post(app, troy.token, library, "Ann is clueless.", annComment.id);
    await createUser(app.deps, {
      email: "mona@example.com",
      password: PASSWORD,
      displayName: "Mona Moderator",
      role: "moderator",
    });

    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/admin`);
    await page.getByLabel("E-mail").fill("mona@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    // Signed in before moving on: a navigation now would cut the sign-in request short.
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await page.goto(`${base}/admin/queues/pending?story=${library}`);
    const troyCard = page.locator("article.card", { hasText: "Ann is clueless." });
    await troyCard.locator("blockquote.parent", { hasText: "Sunday is the only day" }).waitFor();
    await troyCard.getByRole("link", { name: "Riverside library to close on Sundays" }).waitFor();
    const context_ = troyCard.getByRole("link", { name: "See the comment it answers" });
    assert.equal(await context_.getAttribute("href"), `${PUBLISHER}/riverside-library#comment-${annComment.id}`);

    // x selects the newcomers' two comments; Shift+A approves exactly those.
    for (const text of ["Could the council fund volunteers?", "The Saturday hours could be longer instead."]) {
      await page.locator("article.card", { hasText: text }).locator(".body.reader").click();
      await page.keyboard.press("x");
    }
    await page.keyboard.press("Shift+A");
    await page.locator(".toast", { hasText: "Approved 2 comments." }).waitFor();
    assert.equal(await page.locator("article.card").count(), 1);

    // The author's history offers to reject their comments with the ban, everywhere or on this story.
    await troyCard.getByRole("button", { name: /Author's history/ }).click();
    const drawer = page.getByRole("dialog", { name: "Troy Troll's history" });
    await drawer.getByLabel("Ban", { exact: true }).check();
    await drawer.getByLabel("Also reject their published and held comments (4)").waitFor();
    await drawer.getByLabel("…on “Riverside library to close on Sundays” only (3)").check();
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, "desk-ban-reject-comments", { clip: page.locator(".drawer"), height: 900 });
    await drawer.getByRole("button", { name: "Apply" }).click();
    await drawer.locator("p.ok", { hasText: "Ban: done. 3 comments rejected." }).waitFor();

    const statuses = await app.deps.store.db
      .selectFrom("comments")
      .select(["story_id", "status"])
      .where("author_id", "=", troy.id)
      .execute();
    assert.deepEqual(statuses.map((c) => `${c.story_id === library ? "library" : "market"} ${c.status}`).sort(), [
      "library rejected",
      "library rejected",
      "library rejected",
      "market published",
    ]);
    await drawer.getByRole("heading", { name: "Actions on the account (1)" }).waitFor();
    await drawer.getByText("Mona Moderator banned Troy Troll and rejected 3 of their comments.").waitFor();
    await drawer.getByRole("heading", { name: "Decisions on their comments (3)" }).waitFor();
    await shoot(page, "desk-drawer-history", { clip: page.locator(".drawer"), height: 1400 });
    await drawer.getByRole("button", { name: "Close the history" }).click();

    // The audit log reads as sentences with names and titles, never ids or codes.
    await page.getByRole("link", { name: "Audit log" }).click();
    const log = page.locator("table.log");
    await log.getByText("Mona Moderator banned Troy Troll and rejected 3 of their comments.").waitFor();
    await log.getByText("Mona Moderator rejected Troy Troll’s comment on “Riverside library to close on Sundays”.").first().waitFor();
    const text = await log.innerText();
    for (const id of [troy.id, library, annComment.id]) assert.ok(!text.includes(id), `no raw id in the log (${id})`);
    assert.doesNotMatch(text, /\b(comment|user)\.(approve|reject|ban)\b/, "no action codes");
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, "desk-audit-log", { clip: page.locator("main"), height: 900 });

    // Charts have axes with units, labels a phone can read, and a table behind each.
    await page.getByRole("link", { name: "Dashboard" }).click();
    const yourDay = page.getByRole("region", { name: "Your day" });
    await yourDay.getByText(/^You approved \d+ comments? and rejected 3 comments today\./).waitFor();
    const hours = page.locator("section.panel.wide", { hasText: "Comments per hour" });
    await hours.locator("svg .axis-title", { hasText: "Hour (your time)" }).waitFor();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(100);
      const smallest = await page.evaluate(() =>
        Math.min(...[...document.querySelectorAll("svg.chart text")].map((t) => t.getBoundingClientRect().height)),
      );
      assert.ok(smallest >= 12, `chart labels at ${width} px are ${smallest} px tall`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await hours.getByText("Show as a table").click();
    await hours.getByRole("columnheader", { name: "Held" }).waitFor();
    assert.ok((await hours.getByRole("row").count()) >= 2, "a row per hour with comments");
    assert.deepEqual(await seriousViolations(page), []);
    await shoot(page, "desk-dashboard", { clip: page.locator("main"), height: 1000 });

    await page.getByRole("link", { name: "Stories" }).click();
    await page.locator("main h1").waitFor();
    await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"));
    assert.deepEqual(await seriousViolations(page), [], "the stories page");

    // Approvals are sent once their undo window has passed.
    let count = 0;
    for (let i = 0; i < 40 && count !== 3; i++) {
      await page.waitForTimeout(250);
      count = (await app.inject({ method: "GET", url: `/api/v1/stories/${library}` })).json().commentCount;
    }
    assert.equal(count, 3, "Ann's and the two approved comments");
    await context.close();
  });
});
