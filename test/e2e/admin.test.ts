import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { setSiteRole } from "../../src/accounts/store.js";
import { sampleThread } from "../shared.js";
import { PUBLISHER, type Parley, browserSkip, launch, startParley } from "./harness.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";
const STORY_URL = `${PUBLISHER}/night-ferry`;
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const sample = sampleThread();

describe("the moderator's desk", { skip }, () => {
  let parley: Parley;
  let browser: Browser;
  let storyId: string;
  const tokens = new Map<string, string>();
  const ids = new Map<number, string>();
  let desk: BrowserContext;
  let page: Page;

  const inject = (method: "GET" | "POST", url: string, token?: string, payload?: object) =>
    parley.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload } : {}) });

  async function signIn(p: Page, email: string) {
    await p.goto(`${parley.base}/admin`);
    await p.getByLabel("E-mail").fill(email);
    await p.getByLabel("Password").fill(PASSWORD);
    await p.getByLabel("Password").press("Enter");
  }

  /** Presses j until the current card holds `text` (keyboard only, as a moderator would). */
  async function moveTo(text: string) {
    for (const key of ["j", "k"]) {
      for (let i = 0; i < 10; i++) {
        if ((await page.locator("article.card.current", { hasText: text }).count()) === 1) return;
        await page.keyboard.press(key);
      }
    }
    assert.fail(`no card with "${text}"`);
  }

  before(async () => {
    [parley, browser] = await Promise.all([startParley(), launch(), buildAdmin()]);
    const deps = parley.app.deps;
    await createUser(deps, { email: "mod@example.com", password: PASSWORD, displayName: "Mona Moderator", role: "moderator" });
    await createUser(deps, { email: "admin@example.com", password: PASSWORD, displayName: "Ada Admin", role: "admin" });
    await createUser(deps, { email: "reader@example.com", password: PASSWORD, displayName: "Rita Reader" });
    storyId = (await inject("GET", `/api/v1/stories/resolve?url=${encodeURIComponent(STORY_URL)}&title=Night%20ferry`)).json().id;
    for (const c of sample.comments) {
      if (!tokens.has(c.author)) {
        const res = await inject("POST", "/api/v1/auth/signup", undefined, {
          email: `${c.author}@example.com`,
          password: PASSWORD,
          displayName: c.author.replace(/_/g, " ").padEnd(2, "x"),
        });
        tokens.set(c.author, res.json().token);
      }
      const parentId = c.parent ? ids.get(c.parent) : undefined;
      const res = await inject("POST", `/api/v1/stories/${storyId}/comments`, tokens.get(c.author), { body: c.body, ...(parentId ? { parentId } : {}) });
      if (res.statusCode === 201) ids.set(c.n, res.json().comment.id);
    }
    desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await desk.newPage();
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  it("signs a moderator in and shows the sample thread's held comments with their reasons", async () => {
    await signIn(page, "mod@example.com");
    await page.getByRole("link", { name: /^Pending/ }).waitFor();
    await page.goto(`${parley.base}/admin/queues/pending?story=${storyId}`);
    const held = sample.comments.filter((c) => c.expect === "held");
    await page.locator("article.card").first().waitFor();
    assert.equal(await page.locator("article.card").count(), held.length);
    const insult = page.locator("article.card", { hasText: "You are a stupid idiot" });
    await insult.getByRole("list", { name: "Why it is here" }).getByText("likely insult", { exact: true }).waitFor();
    await insult.locator("blockquote.parent", { hasText: "I think the money would have been better spent" }).waitFor();
    assert.ok((await insult.locator("mark").count()) > 0, "the spans that drove the score are highlighted");
    await page.locator("article.card", { hasText: "easy-cash.example" }).getByText("account 0 d").waitFor();
    assert.equal(await page.getByRole("link", { name: /^Pending/ }).locator(".count").innerText(), String(held.length));
  });

  it("lists the keys on ?", async () => {
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.getByText("Open the author's history").waitFor();
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });
  });

  it("approves one and rejects one with the keyboard only; the approved one reaches readers", async () => {
    await moveTo("https://a.example/1");
    await page.keyboard.press("a");
    await page.locator("article.card", { hasText: "https://a.example/1" }).waitFor({ state: "detached" });
    await page.getByText("Approved the comment.").waitFor();
    await moveTo("You are a stupid idiot");
    await page.keyboard.press("r");
    await page.getByRole("dialog", { name: "Reject the comment" }).waitFor();
    await page.keyboard.press("2");
    await page.keyboard.press("Enter");
    await page.locator("article.card", { hasText: "You are a stupid idiot" }).waitFor({ state: "detached" });
    // Both requests go out when their undo window closes.
    await page.locator(".toast").waitFor({ state: "detached", timeout: 15_000 });
    const log = (await inject("GET", "/api/v1/moderation/log?action=comment.reject", await modToken())).json();
    assert.equal(log.items[0].targetId, ids.get(7));
    assert.equal(log.items[0].reason.code, "abusive");
    const reader = await browser.newContext();
    const readerPage = await reader.newPage();
    await readerPage.goto(`${parley.base}/embed/threads?url=${encodeURIComponent(STORY_URL)}`);
    await readerPage.getByText("https://b.example/2").first().waitFor();
    assert.equal(await readerPage.getByText("You are a stupid idiot").count(), 0);
    await reader.close();
  });

  it("takes a decision back with undo", async () => {
    const before = await page.locator("article.card").count();
    await page.keyboard.press("a");
    await page.getByRole("button", { name: /Undo/ }).waitFor();
    await page.keyboard.press("z");
    await page.waitForFunction((n) => document.querySelectorAll("article.card").length === n, before);
  });

  it("shows a newly held comment without a reload", async () => {
    const res = await inject("POST", "/api/v1/auth/signup", undefined, { email: "late@example.com", password: PASSWORD, displayName: "Late Comer" });
    await parley.app.deps.store.db.updateTable("users").set({ premod: 1 }).where("id", "=", res.json().user.id).execute();
    await inject("POST", `/api/v1/stories/${storyId}/comments`, res.json().token, { body: "Checking in from the ferry." });
    await page.locator("article.card", { hasText: "Checking in from the ferry." }).waitFor({ timeout: 20_000 });
  });

  it("bans a user from the drawer, and their next post fails with USER_BANNED", async () => {
    await moveTo("subhuman parasites");
    await page.keyboard.press("u");
    const drawer = page.getByRole("dialog", { name: "northpaw's history" });
    await drawer.getByText("Account 0 days old").waitFor();
    await drawer.getByLabel("Ban", { exact: true }).check();
    await drawer.getByRole("button", { name: "Apply" }).click();
    await drawer.locator(".chip.banned").waitFor();
    const res = await inject("POST", `/api/v1/stories/${storyId}/comments`, tokens.get("northpaw"), { body: "One more try." });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "USER_BANNED");
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "detached" });
  });

  it("shows the bridging scores on a scored comment's card, and none on an unscored one", async () => {
    const scored = ids.get(1) as string;
    await parley.app.deps.store.db
      .updateTable("comments")
      .set({ bridge_rank: 0.4213, bridge_intercept: 0.5171, bridge_factor: -0.1234, bridge_ratings: 14, bridge_badge: 1 })
      .where("id", "=", scored)
      .execute();
    const queue = (await inject("GET", `/api/v1/moderation/queues/all?storyId=${storyId}&limit=100`, await modToken())).json();
    const items = queue.items as { comment: { id: string }; bridging: unknown }[];
    assert.deepEqual(items.find((i) => i.comment.id === scored)?.bridging, { rank: 0.4213, intercept: 0.5171, factor: -0.1234, ratings: 14, badge: true });
    assert.equal(items.find((i) => i.comment.id === ids.get(2))?.bridging, null);
    await page.goto(`${parley.base}/admin/queues/all?story=${storyId}&q=${encodeURIComponent("The timetable in the second paragraph")}`);
    const card = page.locator("article.card", { hasText: "The timetable in the second paragraph" });
    const line = card.locator(".bridging");
    await line.getByText("helpful badge").waitFor();
    assert.match(await line.innerText(), /rank 0\.42 · intercept 0\.52 · factor -0\.12 · 14 ratings/);
    await page.goto(`${parley.base}/admin/queues/all?story=${storyId}&q=${encodeURIComponent("Well spotted, the notice")}`);
    await page.locator("article.card", { hasText: "Well spotted, the notice" }).waitFor();
    assert.equal(await page.locator("article.card .bridging").count(), 0);
  });

  it("refuses a commenter who opens /admin", async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await signIn(p, "reader@example.com");
    await p.getByRole("alert").getByText("Only moderators and admins").waitFor();
    assert.deepEqual(await context.cookies(), []);
    const res = await p.request.get(`${parley.base}/api/v1/moderation/queues/pending`);
    assert.equal(res.status(), 401);
    await context.close();
  });

  it("lets a moderator of this site only into the desk, with the site's queue and the site's actions", async () => {
    const deps = parley.app.deps;
    const scoped = await createUser(deps, { email: "sitemod@example.com", password: PASSWORD, displayName: "Sid Sitemod" });
    await setSiteRole(deps.store.db, { user_id: scoped.id, site_id: "default", role: "moderator", created_at: 0 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    await signIn(p, "sitemod@example.com");
    await p.locator(".who .role", { hasText: /^moderator of / }).waitFor();
    assert.equal(await p.getByRole("link", { name: "Settings" }).count(), 0);
    await p.goto(`${parley.base}/admin/queues/pending?story=${storyId}`);
    await p.locator("article.card").first().waitFor();
    await p.locator("article.card").first().getByRole("button", { name: /^History of / }).click();
    const drawer = p.getByRole("dialog", { name: /history/ });
    await drawer.getByLabel("Ban from the site", { exact: true }).waitFor();
    assert.equal(await drawer.getByLabel(/Suspend/).count(), 0, "suspending changes the account on every site");
    await context.close();
  });

  it("validates a settings change with a clear message and writes it to the audit log", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    await signIn(p, "admin@example.com");
    await p.getByRole("link", { name: "Settings" }).click();
    // The nudge threshold: the hold thresholds below have a Toxicity field too.
    const toxicity = p.getByRole("group", { name: /^Nudge thresholds/ }).getByLabel("Toxicity", { exact: true });
    await toxicity.fill("2");
    await p.getByRole("button", { name: "Save moderation settings" }).click();
    await p.getByRole("alert").getByText(/thresholds\/toxicity/).waitFor();
    await toxicity.fill("0.85");
    await p.getByLabel("Links allowed per comment").fill("3");
    await p.getByRole("button", { name: "Save moderation settings" }).click();
    await p.getByText("Saved. The change is recorded in the audit log.").waitFor();
    await p.getByRole("link", { name: "Audit log" }).click();
    await p.getByLabel("What").selectOption({ label: "Moderation settings" });
    await p.getByRole("button", { name: "Filter" }).click();
    // In words: who changed which settings, never the raw JSON.
    await p.locator("tbody tr", { hasText: "Ada Admin changed the moderation settings (thresholds, max links) of Default site." }).first().waitFor();
    await context.close();
  });

  it("has no serious or critical axe-core violations on a laptop and a tablet", async () => {
    const found: string[] = [];
    for (const viewport of [{ width: 1280, height: 800 }, { width: 820, height: 1180 }]) {
      // axe is injected as an inline script, which the desk's CSP rightly refuses; only this context bypasses it.
      const context = await browser.newContext({ viewport, bypassCSP: true });
      const p = await context.newPage();
      await signIn(p, "admin@example.com");
      for (const path of ["/admin/queues/pending", "/admin/stories", "/admin/dashboard", "/admin/log", "/admin/settings"]) {
        await p.goto(parley.base + path);
        await p.locator("main h1, main .card").first().waitFor();
        await p.waitForFunction(() => !document.querySelector("[aria-busy=true]"));
        await p.addScriptTag({ content: axeSource });
        const violations = await p.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(d: Document): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
          return (await axe.run(document)).violations;
        });
        for (const v of violations.filter((x) => x.impact === "serious" || x.impact === "critical"))
          found.push(`${viewport.width}px ${path}: ${v.id} (${v.nodes.length})`);
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) found.push(`${viewport.width}px ${path}: ${overflow}px horizontal overflow`);
      }
      await context.close();
    }
    assert.deepEqual(found, []);
  });

  let token: string | undefined;
  async function modToken() {
    token ??= (await inject("POST", "/api/v1/auth/login", undefined, { email: "mod@example.com", password: PASSWORD })).json().token;
    return token;
  }
});
