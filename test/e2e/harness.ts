import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import type { FastifyInstance } from "fastify";
import { type Browser, type Page, chromium } from "playwright-core";
import { buildWeb } from "../../scripts/build-web.mjs";
import { loadConfig } from "../../src/config.js";
import { seedDemo } from "../../src/demo/seed.js";
import { buildApp } from "../../src/http/app.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { changeAccountSettings } from "../../src/accounts/settings.js";
import { RELAXED_ACCOUNT_LIMITS } from "../helpers.js";
import { ROOT } from "../../src/paths.js";
import { freePort } from "../ports.js";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const ARTIFACTS = join(ROOT, "test-artifacts");
/**
 * An allowed publisher origin for stories made through the API. Browsers cannot load pages
 * from it (it resolves nowhere); pages a browser loads live on `Parley.publisher`.
 */
export const PUBLISHER = "http://publisher.test";

/** Browser tests skip with one line where Chromium is missing, except in CI, where that is a failure. */
export function browserSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === "true") throw new Error(`Chromium not found at ${CHROMIUM}; CI must run the browser tests.`);
  return `Chromium not found at ${CHROMIUM}; skipping browser tests (apt-get install -y chromium)`;
}

let built: Promise<unknown> | undefined;
/** Builds the web assets once per test process (about a tenth of a second with esbuild). */
export const ensureWebBuilt = () => (built ??= buildWeb());


export interface Parley {
  base: string;
  /**
   * A publisher's site that embeds threads: another origin, served on loopback by the test
   * itself (Chromium will not let a public origin call a loopback one).
   */
  publisher: string;
  /** Serves this HTML at `publisher + path`. */
  publish(path: string, html: string): void;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** A real Parley on 127.0.0.1 with a fresh SQLite file and the demo article seeded. */
export async function startParley(env: Record<string, string> = {}): Promise<Parley> {
  await ensureWebBuilt();
  const [port, publisherPort] = [await freePort(), await freePort()];
  const pages = new Map<string, string>();
  const publisher = createHttpServer((req, res) => {
    const html = pages.get((req.url ?? "/").split("?")[0]);
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" }).end(html ?? "not found");
  });
  await new Promise<void>((resolve) => publisher.listen(publisherPort, "127.0.0.1", resolve));
  const dir = mkdtempSync(join(tmpdir(), "parley-e2e-"));
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: base,
    DATABASE_URL: `sqlite:${join(dir, "parley.db")}`,
    LOG_LEVEL: "silent",
    PARLEY_PASSWORD_MEMORY_KIB: "1024",
    PARLEY_ALLOWED_ORIGINS: `http://127.0.0.1:${publisherPort},${PUBLISHER}`,
    ...env,
  });
  const app = await buildApp({ config });
  // One test reader posts several comments within seconds; the rate limits have their own tests.
  await changeModerationSettings(app.deps, DEFAULT_SITE_ID, { rateLimits: { enabled: false } });
  await changeAccountSettings(app.deps, DEFAULT_SITE_ID, { limits: RELAXED_ACCOUNT_LIMITS });
  await seedDemo(app.deps);
  await app.listen({ port, host: "127.0.0.1" });
  return {
    base,
    publisher: `http://127.0.0.1:${publisherPort}`,
    publish: (path, html) => void pages.set(path, html),
    app,
    async close() {
      await app.close();
      await new Promise((resolve) => publisher.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A Parley server and a Chromium, started before a suite's tests and closed after them; the
 * suite reads them as `suite.parley` and `suite.browser` once its tests run.
 */
export function parleyAndBrowser(): { readonly parley: Parley; readonly browser: Browser } {
  let parley: Parley | undefined;
  let browser: Browser | undefined;
  before(async () => {
    [parley, browser] = await Promise.all([startParley(), launch()]);
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
  });
  const started = <T>(part: T | undefined): T => {
    if (part === undefined) throw new Error("the suite's Parley and browser start in its before hook");
    return part;
  };
  return {
    get parley() {
      return started(parley);
    },
    get browser() {
      return started(browser);
    },
  };
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** The widget's shadow root content is reached through Playwright's piercing CSS locators. */
export const thread = (page: Page) => page.locator("parley-thread");

/** Waits until the thread UI has taken over the server-rendered thread. */
export async function widgetReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const root = document.querySelector("parley-thread")?.shadowRoot;
    const section = root?.querySelector("section.parley");
    return Boolean(section && !section.hasAttribute("data-ssr"));
  });
}

export async function signUpInWidget(page: Page, name: string): Promise<void> {
  const t = thread(page);
  await t.getByRole("button", { name: "Sign in to comment" }).click();
  await t.getByRole("button", { name: "I am new here" }).click();
  await t.getByLabel("Name shown with your comments").fill(name);
  await t.getByLabel("E-mail").fill(`${name.toLowerCase().replace(/\W+/g, ".")}.${Date.now()}@example.com`);
  await t.getByLabel("Password").fill("correct horse battery staple");
  await t.getByRole("button", { name: "Create account" }).click();
  await t.locator(".p-who", { hasText: `Signed in as ${name}` }).waitFor();
}
