import assert from "node:assert/strict";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import Provider from "oidc-provider";
import type { Browser, Page } from "playwright-core";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { accountSettings } from "../../src/accounts/settings.js";
import { createUser } from "../../src/accounts/service.js";
import { SESSION_COOKIE } from "../../src/http/cookies.js";
import { type Parley, browserSkip, launch, startParley } from "./harness.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";
const SECRET = "parley-client-secret-for-tests";

/**
 * A real OpenID provider on 127.0.0.1. Parley needs its issuer before it starts, and the
 * provider needs Parley's callback, so the server listens first and the provider comes after.
 */
async function listenForProvider() {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    serve(callback: string) {
      const provider = new Provider(issuer, {
        clients: [{ client_id: "parley", client_secret: SECRET, redirect_uris: [callback], grant_types: ["authorization_code"], response_types: ["code"] }],
        pkce: { required: () => true },
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        cookies: { keys: ["cookie-key-for-the-test-provider"] },
        async findAccount(_ctx: unknown, sub: string) {
          return { accountId: sub, async claims() { return { sub, name: `Staff ${sub}`, email: `${sub}@idp.example`, email_verified: true }; } };
        },
      });
      handle = provider.callback();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The provider's development login and consent pages, filled in as a person would. */
async function signInAtProvider(popup: Page, login: string) {
  await popup.locator("input[name=login]").fill(login);
  await popup.locator("input[name=password]").fill("anything");
  await popup.locator("button[type=submit]").click();
  await popup.locator("button[type=submit]", { hasText: /continue/i }).click();
}

describe("signing in to the moderator's desk through a window", { skip }, () => {
  let parley: Parley;
  let browser: Browser;
  let idp: Awaited<ReturnType<typeof listenForProvider>>;

  before(async () => {
    idp = await listenForProvider();
    const providers = [{ name: "test", issuer: idp.issuer, clientId: "parley", clientSecret: SECRET, label: "Newsroom ID" }];
    [parley, browser] = await Promise.all([startParley({ PARLEY_OIDC_PROVIDERS: JSON.stringify(providers) }), launch(), buildAdmin()]);
    idp.serve(`${parley.base}/api/v1/auth/oidc/test/callback`);
    const deps = parley.app.deps;
    const mona = await createUser(deps, { email: "mod@example.com", password: PASSWORD, displayName: "Mona Moderator", role: "moderator" });
    await createUser(deps, { email: "admin@example.com", password: PASSWORD, displayName: "Ada Admin", role: "admin" });
    // Mona's newsroom identity is linked to her moderator account, as an admin would link it.
    await deps.store.db.insertInto("user_identities").values({ provider: "oidc:test", subject: "mona", user_id: mona.id, created_at: Date.now() }).execute();
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
    await idp?.close();
  });

  it("signs a moderator in with an OpenID Connect provider, end to end, under the desk's CSP", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text())));
    await page.goto(`${parley.base}/admin`);
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Sign in with Newsroom ID" }).click()]);
    await signInAtProvider(popup, "mona");
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await page.getByText("Mona Moderator").waitFor();
    assert.ok((await context.cookies(parley.base)).some((c) => c.name === SESSION_COOKIE && c.httpOnly), "the desk holds an HttpOnly session cookie");
    const res = await page.request.get(`${parley.base}/api/v1/moderation/queues/pending`);
    assert.equal(res.status(), 200);
    assert.deepEqual(cspErrors, []);
    await context.close();
  });

  it("refuses a commenter who signs in with the same provider, and sets no cookie", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${parley.base}/admin`);
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Sign in with Newsroom ID" }).click()]);
    await signInAtProvider(popup, "rita");
    await page.getByRole("alert").getByText("Only moderators and admins").waitFor();
    assert.deepEqual((await context.cookies(parley.base)).filter((c) => c.name === SESSION_COOKIE), []);
    await context.close();
  });

  it("signs a moderator in through Parley's sign-in window with a local account", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${parley.base}/admin`);
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Sign in in a separate window" }).click()]);
    await popup.getByLabel("E-mail").fill("mod@example.com");
    await popup.getByLabel("Password").fill(PASSWORD);
    await popup.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await context.close();
  });

  it("ignores a session posted by another window", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${parley.base}/admin`);
    const login = await page.request.post(`${parley.base}/api/v1/auth/login`, { data: { email: "mod@example.com", password: PASSWORD } });
    const token = (await login.json()).token as string;
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Sign in in a separate window" }).click()]);
    // The page itself (not the sign-in window) posts a valid token: the desk must not take it.
    await page.evaluate((t) => window.postMessage({ type: "parley:session", token: t }, location.origin), token);
    await popup.close();
    await page.getByRole("alert").getByText("closed before you signed in").waitFor();
    assert.equal(await page.getByRole("button", { name: "Sign out" }).count(), 0);
    await context.close();
  });

  it("edits SSO, e-mail and webhook settings, showing the server's message when it refuses", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${parley.base}/admin/settings`);
    await page.getByLabel("E-mail").fill("admin@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    const admin = (await parley.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: "admin@example.com", password: PASSWORD } })).json().token as string;
    const get = async (url: string) => (await parley.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${admin}` } })).json();

    const sso = page.getByRole("region", { name: /publisher SSO/ });
    await sso.getByLabel("New secret's key id (kid)").fill("2026-11");
    await sso.getByLabel(/^New secret \(HS256/).fill("too short");
    await sso.getByRole("button", { name: "Save sign-in settings" }).click();
    await sso.getByRole("alert").getByText(/sso\/secrets\/0\/secret/).waitFor();
    const secret = "a-publisher-signing-secret-of-40-chars!!";
    await sso.getByLabel(/^New secret \(HS256/).fill(secret);
    await sso.getByLabel("Show Gravatar pictures").check();
    await sso.getByRole("button", { name: "Save sign-in settings" }).click();
    await sso.getByRole("status").getByText("Saved.").waitFor();
    await sso.getByText(/••••••••rs!! \(40 chars\)/).waitFor();
    // Saving again sends the kept secret as its kid alone; the stored secret must survive.
    await sso.getByLabel("Show Gravatar pictures").uncheck();
    // The box is unchecked before the save reaches the server: wait for the save's answer.
    const saved = page.waitForResponse((r) => r.url().includes("/api/v1/admin/") && r.request().method() !== "GET");
    await sso.getByRole("button", { name: "Save sign-in settings" }).click();
    await saved;
    await page.waitForFunction(() => !(document.querySelector("input[name=gravatar]") as HTMLInputElement | null)?.checked);
    await sso.getByText(/••••••••rs!! \(40 chars\)/).waitFor();
    const stored = await accountSettings(parley.app.deps, "default");
    assert.deepEqual(stored.sso.secrets, [{ kid: "2026-11", secret }]);
    assert.equal(stored.gravatar, false);
    await sso.getByText("Newsroom ID").waitFor();

    const email = page.getByRole("region", { name: "E-mail notifications" });
    await email.getByLabel("Mentions").uncheck();
    await email.getByRole("button", { name: "Save e-mail settings" }).click();
    await email.getByRole("status").getByText("Saved.").waitFor();
    assert.equal((await get("/api/v1/admin/notification-settings")).notifications.emails.mentions, false);

    const hooks = page.getByRole("region", { name: "Webhooks" });
    const adding = hooks.getByRole("group", { name: "Add a webhook" });
    await adding.getByLabel("URL").fill("ftp://feeds.example/hook");
    await adding.getByLabel("comment.published").check();
    await adding.getByRole("button", { name: "Add webhook" }).click();
    await hooks.getByRole("alert").getByText(/url/i).waitFor();
    assert.deepEqual((await get("/api/v1/admin/webhooks")).items, []);
    await adding.getByLabel("URL").fill("https://feeds.example/hook");
    await adding.getByRole("button", { name: "Add webhook" }).click();
    await hooks.getByText("shown this once").waitFor();
    const [hook] = (await get("/api/v1/admin/webhooks")).items;
    assert.deepEqual([hook.url, hook.events, hook.active], ["https://feeds.example/hook", ["comment.published"], true]);
    const editing = hooks.getByRole("group", { name: "https://feeds.example/hook" });
    await editing.getByLabel("Active (unticked: paused)").uncheck();
    await editing.getByRole("button", { name: "Save webhook" }).click();
    await hooks.getByRole("status").getByText("Webhook saved.").waitFor();
    assert.equal((await get("/api/v1/admin/webhooks")).items[0].active, false);
    await hooks.getByRole("group", { name: "https://feeds.example/hook" }).getByRole("button", { name: "Remove webhook" }).click();
    await hooks.getByRole("status").getByText("Webhook removed.").waitFor();
    assert.deepEqual((await get("/api/v1/admin/webhooks")).items, []);
    await context.close();
  });
});
