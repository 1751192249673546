import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SignJWT } from "jose";
import type { Browser } from "playwright-core";
import { buildAdmin } from "../../scripts/build-admin.mjs";
import { createUser } from "../../src/accounts/service.js";
import { changeAccountSettings } from "../../src/accounts/settings.js";
import { enqueue } from "../../src/notifications/outbox.js";
import { type Parley, browserSkip, launch, startParley } from "./harness.js";

const skip = browserSkip();
const PASSWORD = "correct horse battery staple";
const SSO_SECRET = "the-publisher-signs-moderators-in-with-this";

/**
 * The publisher's login page, as a publisher would write it: the moderator is already signed
 * in there, so it signs a token for them and sends them to the `parley_return` it was given,
 * but only if that is its own Parley (never an open redirect).
 */
async function publisherLogin(parleyBase: () => string) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://publisher.invalid");
    const back = url.searchParams.get("parley_return") ?? "";
    seen.push(back);
    if (!back.startsWith(`${parleyBase()}/auth/popup`)) return void res.writeHead(400).end("unknown return address");
    void new SignJWT({ sub: "mona-at-publisher", name: "Mona Moderator", aud: "default" })
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti(`jti-${seen.length}`)
      .sign(new TextEncoder().encode(SSO_SECRET))
      .then((jwt) => res.writeHead(302, { location: `${back}#sso=${jwt}` }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/login`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("the desk: the publisher's login and webhook deliveries", { skip }, () => {
  let parley: Parley;
  let browser: Browser;
  let publisher: Awaited<ReturnType<typeof publisherLogin>>;

  before(async () => {
    // The webhook below points at the publisher's server on loopback, a private address.
    [parley, browser, publisher] = await Promise.all([startParley({ PARLEY_WEBHOOK_ALLOW_PRIVATE: "true" }), launch(), publisherLogin(() => parley.base), buildAdmin()]);
    const deps = parley.app.deps;
    const mona = await createUser(deps, { email: "mod@example.com", password: PASSWORD, displayName: "Mona Moderator", role: "moderator" });
    await createUser(deps, { email: "admin@example.com", password: PASSWORD, displayName: "Ada Admin", role: "admin" });
    // Mona's publisher account is linked to her moderator account.
    await deps.store.db.insertInto("user_identities").values({ provider: "sso:default", subject: "mona-at-publisher", user_id: mona.id, created_at: Date.now() }).execute();
    await changeAccountSettings(deps, "default", { sso: { secrets: [{ kid: "k1", secret: SSO_SECRET }] } });
  });
  after(async () => {
    await browser?.close();
    await parley?.close();
    await publisher?.close();
  });

  it("offers no publisher button until an admin sets the login page, then signs a moderator in through it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${parley.base}/admin/settings`);
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    assert.equal(await page.getByRole("button", { name: /account$/ }).count(), 0);
    await page.getByLabel("E-mail").fill("admin@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    const sso = page.getByRole("region", { name: /publisher SSO/ });
    const field = sso.getByLabel(/^Publisher sign-in page for moderators/);
    await field.fill(publisher.url);
    await sso.getByRole("button", { name: "Save sign-in settings" }).click();
    await sso.getByRole("status").getByText("Saved.").waitFor();
    assert.equal((await (await page.request.get(`${parley.base}/api/v1/auth/sso/login-url`)).json()).loginUrl, publisher.url);
    await sso.getByText("k1").waitFor(); // the secret survived the save
    await context.close();

    const fresh = await browser.newContext();
    const desk = await fresh.newPage();
    await desk.goto(`${parley.base}/admin`);
    const [popup] = await Promise.all([desk.waitForEvent("popup"), desk.getByRole("button", { name: "Sign in with Default site account" }).click()]);
    await desk.getByRole("button", { name: "Sign out" }).waitFor();
    await desk.getByText("Mona Moderator").waitFor();
    assert.ok(popup.isClosed() || (await popup.waitForEvent("close").then(() => true)));
    assert.equal(publisher.seen.at(-1), `${parley.base}/auth/popup?origin=${encodeURIComponent(parley.base)}`);
    await fresh.close();
  });

  it("lists a webhook's deliveries and replays one, showing the server's message on a refusal", async () => {
    const deps = parley.app.deps;
    const admin = (await parley.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: "admin@example.com", password: PASSWORD } })).json().token as string;
    const made = await parley.app.inject({
      method: "POST",
      url: "/api/v1/admin/webhooks",
      headers: { authorization: `Bearer ${admin}` },
      // On loopback, so the app's own worker never reaches out: the publisher's server answers 400.
      payload: { siteId: "default", url: publisher.url.replace(/login$/, "hook"), events: ["comment.published"] },
    });
    const hookId = made.json().webhook.id as string;
    const payload = { endpointId: hookId, eventId: "evt-1", eventType: "comment.published", body: "{}" };
    const jobId = (await enqueue(deps.store.db, deps, { kind: "webhook", siteId: "default", payload }))!;
    const row = (id: string, job: string, status: number | null, error: string | null, at: number) => ({
      id, endpoint_id: hookId, site_id: "default", job_id: job, event_id: "evt-1", event_type: "comment.published",
      attempt: 1, status_code: status, error, duration_ms: 42, created_at: at,
    });
    // A delivery whose job is gone (the server refuses to replay it) and one of a job that exists.
    await deps.store.db.insertInto("webhook_deliveries").values([
      row("d-0001", jobId, 503, "HTTP 503", Date.now() - 120_000),
      row("d-0002", "job-long-gone", null, "timed out", Date.now() - 60_000),
    ]).execute();

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${parley.base}/admin/settings`);
    await page.getByLabel("E-mail").fill("admin@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    const list = page.getByRole("region", { name: `Recent deliveries to ${publisher.url.replace(/login$/, "hook")}` });
    // The app's own outbox worker may also try the enqueued job meanwhile (and log a delivery
    // of its own), so rows are found by what they say, not by position or count.
    const gone = list.getByRole("row").filter({ hasText: "failed: timed out" });
    const real = list.getByRole("row").filter({ hasText: "HTTP 503 failed" });
    await gone.waitFor();
    assert.match(await gone.innerText(), /comment\.published\s+failed: timed out \(42 ms\)\s+1\s+1 min ago/);
    assert.match(await real.innerText(), /comment\.published\s+HTTP 503 failed \(42 ms\)\s+1\s+2 min ago/);

    await gone.getByRole("button", { name: /^Replay/ }).click();
    await list.getByRole("alert").getByText("Delivery not found.").waitFor();
    await real.getByRole("button", { name: /^Replay/ }).click();
    await list.getByRole("status").getByText(/Replay of comment\.published queued/).waitFor();
    const jobs = await deps.store.db.selectFrom("outbox_jobs").select(["key", "payload"]).where("kind", "=", "webhook").execute();
    const replays = jobs.filter((j) => j.key.startsWith(`replay:${jobId}:`));
    assert.equal(replays.length, 1, "one replay job, of the job that still exists");
    assert.deepEqual(JSON.parse(replays[0]!.payload), payload);
    await context.close();
  });
});
