import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { postComment, signup } from "../helpers.js";
import { corporaSkip, hostileStrings } from "../security/corpora.js";
import { PUBLISHER, type Parley, browserSkip, launch, startParley } from "./harness.js";

const skip = browserSkip() || corporaSkip;
const PASSWORD = "correct horse battery staple";
const PER_STORY = 100;

/**
 * The moderator's desk shows what the internet wrote: every hostile string as a held comment,
 * as authors' display names and as report notes. Opening the queues must open no dialog, run
 * no script, trip no CSP rule and request nothing from another origin.
 */
describe("the moderator's desk among hostile input", { skip }, () => {
  let parley: Parley;
  let browser: Browser;
  const pendingStories: string[] = [];
  let reportedStory: string;
  let expectedCards = 0;
  let expectedNotes = 0;

  const resolve = async (path: string) =>
    (await parley.app.inject({ method: "GET", url: `/api/v1/stories/resolve?url=${encodeURIComponent(PUBLISHER + path)}` })).json<{ id: string }>().id;

  before(async () => {
    [parley, browser] = await Promise.all([startParley(), launch(), buildAdmin()]);
    const { app } = parley;
    await createUser(app.deps, { email: "mod@example.com", password: PASSWORD, displayName: "Mona Moderator", role: "moderator" });
    const strings = hostileStrings().map((h) => h.text);
    const authors = [];
    for (let i = 0; i < 20; i++) {
      const author = await signup(app, `Author ${i}`);
      // Hostile display names where the name rule accepts them; plain ones otherwise.
      await app.inject({ method: "PATCH", url: "/api/v1/me", headers: { authorization: `Bearer ${author.token}` }, payload: { displayName: strings[i * 7] } });
      authors.push(author);
    }
    // Reported queue: published comments reported with hostile notes.
    reportedStory = await resolve("/desk/reported");
    const reporters = await Promise.all(Array.from({ length: 8 }, (_, i) => signup(app, `Reporter ${i}`)));
    const notes = strings.filter((_, i) => i % 15 === 0);
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { reportThreshold: 1000 });
    for (let t = 0; t * reporters.length < notes.length; t++) {
      const target = await postComment(app, authors[t % authors.length].token, reportedStory, { body: `A plain comment to report, number ${t}.` });
      if (target.statusCode !== 201) continue;
      const id = target.json<{ comment: { id: string } }>().comment.id;
      expectedCards++;
      for (const [r, reporter] of reporters.entries()) {
        const note = notes[t * reporters.length + r];
        if (note === undefined) break;
        const res = await app.inject({ method: "POST", url: `/api/v1/comments/${id}/reports`, headers: { authorization: `Bearer ${reporter.token}` }, payload: { reason: "other", note } });
        if (res.statusCode < 300 && note.trim()) expectedNotes++;
      }
    }
    // Pending queue: every string held for review, a hundred to a story.
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { premod: { site: true } });
    for (let i = 0; i < strings.length; i++) {
      if (i % PER_STORY === 0) pendingStories.push(await resolve(`/desk/pending-${i / PER_STORY}`));
      await postComment(app, authors[i % authors.length].token, pendingStories[pendingStories.length - 1], { body: strings[i] });
    }
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  it("renders every hostile comment, name and note without a dialog, a script run, a CSP violation or a foreign request", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page: Page = await context.newPage();
    const dialogs: string[] = [];
    const foreign: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      const url = r.url();
      if (!url.startsWith(parley.base) && !/^(data|blob|about):/.test(url)) foreign.push(url);
    });
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      w.__ran = [];
      w.__violations = [];
      for (const name of ["alert", "confirm", "prompt", "print"]) {
        w[name] = (...args: unknown[]) => (w.__ran as unknown[]).push([name, ...args]);
      }
      document.addEventListener("securitypolicyviolation", (e) => (w.__violations as unknown[]).push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${parley.base}/admin`);
    await page.getByLabel("E-mail").fill("mod@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.getByRole("link", { name: /^Pending/ }).waitFor();

    const observed = { ran: [] as unknown[], violations: [] as unknown[] };
    const collect = async () => {
      const found = await page.evaluate(() => {
        const w = window as unknown as { __ran: unknown[]; __violations: unknown[] };
        return { ran: w.__ran.splice(0), violations: w.__violations.splice(0) };
      });
      observed.ran.push(...found.ran);
      observed.violations.push(...found.violations);
    };
    /** Opens a queue for one story and loads every page of it; the number of cards shown. */
    const showAll = async (queue: string, storyId: string) => {
      await page.goto(`${parley.base}/admin/queues/${queue}?story=${storyId}`);
      await page.locator("article.card").first().waitFor();
      const more = page.getByRole("button", { name: "Load more" });
      for (let i = 0; i < 20 && (await more.count()) > 0; i++) {
        const before = await page.locator("article.card").count();
        await more.click();
        await page.waitForFunction((n) => document.querySelectorAll("article.card").length > n, before);
      }
      await collect();
      return page.locator("article.card").count();
    };

    let cards = 0;
    for (const story of pendingStories) cards += await showAll("pending", story);
    const held = await parley.app.deps.store.db.selectFrom("comments").select("id").where("status", "=", "pending").where("story_id", "in", pendingStories).execute();
    assert.equal(cards, held.length, "every held comment was rendered");
    assert.ok(cards > 1000, `${cards} hostile comments on the desk`);

    const reported = await parley.app.deps.store.db.selectFrom("comments").select("id").where("story_id", "=", reportedStory).where("open_reports", ">", 0).execute();
    assert.equal(await showAll("reported", reportedStory), reported.length);
    assert.equal(reported.length, expectedCards, "every target was reported");
    const notesShown = await page.locator("article.card li", { hasText: "—" }).count();
    assert.ok(notesShown >= expectedNotes * 0.9, `report notes shown (${notesShown} of ${expectedNotes})`);

    assert.deepEqual(observed.ran, []);
    assert.deepEqual(observed.violations, []);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(foreign, []);
    await context.close();
  });
});
