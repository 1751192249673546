import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { Parser } from "htmlparser2";
import { createUser } from "../../src/accounts/service.js";
import { MAX_JSON_DEPTH } from "../../src/http/security.js";
import { type TestApp, auth, post, resolveStory, signup, testApp } from "../helpers.js";
import { connectSse } from "../sse.js";
import { databaseChecksum } from "./checksum.js";

const ALLOWED_ORIGIN = "https://news.example";

/** The directives of a Content-Security-Policy header. */
function directives(csp: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (csp ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

/** Every <script> of a page: executable inline ones must carry the nonce the CSP names. */
function inlineScripts(html: string): { nonce?: string; type?: string; src?: string }[] {
  const found: { nonce?: string; type?: string; src?: string }[] = [];
  const parser = new Parser({ onopentag: (name, a) => void (name === "script" && found.push({ nonce: a.nonce, type: a.type, src: a.src })) });
  parser.write(html);
  parser.end();
  return found.filter((s) => s.src === undefined && s.type !== "application/json");
}

/** A raw HTTP exchange, for what fetch will not send (oversized or dribbled headers). */
function raw(port: number, chunks: string[], gapMs: number, waitMs: number): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closedAfterMs: Date.now() - started });
    };
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("close", finish);
    socket.on("error", finish);
    let i = 0;
    const next = () => {
      if (socket.destroyed || i >= chunks.length) return;
      socket.write(chunks[i++]);
      timer = setTimeout(next, gapMs);
    };
    socket.on("connect", next);
    setTimeout(finish, waitMs).unref();
  });
}

describe("security headers and request limits", () => {
  let t: TestApp;
  let storyId: string;
  before(async () => {
    t = await testApp("sqlite", { env: { PARLEY_HSTS_SECONDS: "31536000", PARLEY_HSTS_INCLUDE_SUBDOMAINS: "true", PARLEY_MAX_STREAMS_PER_IP: "2" } });
    storyId = await resolveStory(t.app);
  });
  after(() => t.close());

  it("sends nosniff, a referrer policy, HSTS when configured and a CSP on every answer", async () => {
    for (const url of ["/healthz", `/api/v1/stories/${storyId}`, "/api/v1/nothing-here", `/embed/threads?story=${storyId}`, "/embed.js"]) {
      const res = await t.app.inject({ method: "GET", url });
      assert.equal(res.headers["x-content-type-options"], "nosniff", url);
      assert.ok(res.headers["referrer-policy"], url);
      assert.equal(res.headers["strict-transport-security"], "max-age=31536000; includeSubDomains", url);
      const csp = directives(res.headers["content-security-policy"] as string);
      assert.ok(csp.has("frame-ancestors"), `${url} says who may frame it`);
    }
    const json = await t.app.inject({ method: "GET", url: "/healthz" });
    assert.equal(json.headers["referrer-policy"], "strict-origin-when-cross-origin");
    assert.deepEqual(directives(json.headers["content-security-policy"] as string).get("default-src"), ["'none'"]);
    const plain = await testApp("sqlite");
    try {
      const res = await plain.app.inject({ method: "GET", url: "/healthz" });
      assert.equal(res.headers["strict-transport-security"], undefined, "no HSTS unless PARLEY_HSTS_SECONDS is set");
    } finally {
      await plain.close();
    }
  });

  it("serves Parley's HTML under a CSP without inline script, and never framed on /admin and the account pages", async () => {
    const pages = ["/", "/articles/harbor-road-ferry-timetable", `/embed/threads?story=${storyId}`, "/admin", "/admin/queue/pending", "/auth/popup", "/auth/reset", "/auth/verify", "/docs/"];
    let checked = 0;
    for (const url of pages) {
      const res = await t.app.inject({ method: "GET", url });
      if (res.statusCode !== 200 || !String(res.headers["content-type"]).startsWith("text/html")) continue;
      checked++;
      const csp = directives(res.headers["content-security-policy"] as string);
      const script = csp.get("script-src") ?? csp.get("default-src") ?? [];
      assert.ok(script.length > 0, `${url} limits scripts`);
      assert.ok(!script.includes("'unsafe-inline'") && !script.includes("'unsafe-eval'") && !script.includes("*"), `${url}: ${script.join(" ")}`);
      assert.deepEqual(csp.get("object-src") ?? csp.get("default-src"), ["'none'"], `${url} allows no plugins`);
      const nonces = script.filter((s) => s.startsWith("'nonce-")).map((s) => s.slice(7, -1));
      for (const s of inlineScripts(res.body)) assert.ok(s.nonce && nonces.includes(s.nonce), `${url} has an inline script without the CSP's nonce`);
    }
    assert.ok(checked >= 6, `checked ${checked} HTML pages`);
    for (const url of ["/admin", "/admin/queue/pending", "/auth/popup", "/auth/reset", "/auth/verify", "/admin/session"]) {
      const res = await t.app.inject({ method: "GET", url });
      assert.deepEqual(directives(res.headers["content-security-policy"] as string).get("frame-ancestors"), ["'none'"], url);
    }
  });

  it("answers CORS only for allowed origins", async () => {
    const preflight = (origin: string) =>
      t.app.inject({
        method: "OPTIONS",
        url: `/api/v1/stories/${storyId}/comments`,
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    assert.equal(allowed.headers["access-control-allow-origin"], ALLOWED_ORIGIN);
    for (const origin of ["https://evil.example", "https://news.example.evil.example", "null", "http://news.example"]) {
      const res = await preflight(origin);
      assert.equal(res.headers["access-control-allow-origin"], undefined, origin);
      const get = await t.app.inject({ method: "GET", url: `/api/v1/stories/${storyId}`, headers: { origin } });
      assert.equal(get.headers["access-control-allow-origin"], undefined, origin);
      assert.notEqual(get.headers["access-control-allow-credentials"], "true", origin);
    }
  });

  it("refuses every cookie-authenticated write without the CSRF token, and changes nothing", async () => {
    await createUser(t.app.deps, { email: "csrf-admin@example.com", password: "correct horse battery", displayName: "Cora Admin", role: "admin" });
    const signIn = await t.app.inject({ method: "POST", url: "/admin/session", payload: { email: "csrf-admin@example.com", password: "correct horse battery" } });
    assert.equal(signIn.statusCode, 200, signIn.body);
    const cookie = String(signIn.headers["set-cookie"]).split(";")[0];
    const csrf = signIn.json<{ csrfToken: string }>().csrfToken;
    const reader = await signup(t.app, "Reader of CSRF");
    const comment = await post(t.app, reader.token, storyId, "A comment a forged request would like to remove.");
    const writes: { method: "POST" | "PATCH" | "DELETE"; url: string; payload?: object }[] = [
      { method: "POST", url: `/api/v1/moderation/comments/${comment.id}/decision`, payload: { action: "reject" } },
      { method: "POST", url: `/api/v1/moderation/users/${reader.id}/actions`, payload: { action: "ban" } },
      { method: "PATCH", url: `/api/v1/stories/${storyId}`, payload: { status: "closed" } },
      { method: "PATCH", url: "/api/v1/admin/settings", payload: { moderation: { maxLinks: 9 } } },
      { method: "POST", url: `/api/v1/stories/${storyId}/comments`, payload: { body: "Posted by a forged request." } },
      { method: "POST", url: `/api/v1/comments/${comment.id}/reactions`, payload: { kind: "like" } },
      { method: "DELETE", url: `/api/v1/comments/${comment.id}` },
      { method: "DELETE", url: "/api/v1/me" },
      { method: "DELETE", url: "/admin/session" },
    ];
    const before = await databaseChecksum(t.store);
    for (const w of writes) {
      // From a page of the story's own site, only the missing token stops it.
      const res = await t.app.inject({ ...w, headers: { cookie, origin: ALLOWED_ORIGIN } });
      assert.equal(res.statusCode, 403, `${w.method} ${w.url}: ${res.body}`);
      assert.equal(res.json().error.code, "CSRF_FAILED", `${w.method} ${w.url}`);
      // From another site, writes to a story are refused for their origin before the token is looked at.
      const forged = await t.app.inject({ ...w, headers: { cookie, origin: "https://evil.example" } });
      assert.equal(forged.statusCode, 403, `${w.method} ${w.url}: ${forged.body}`);
      assert.ok(["CSRF_FAILED", "ORIGIN_NOT_ALLOWED"].includes(forged.json().error.code), `${w.method} ${w.url}: ${forged.body}`);
    }
    assert.equal(await databaseChecksum(t.store), before, "no forged write changed anything");
    const real = await t.app.inject({ ...writes[0], headers: { cookie, "x-csrf-token": csrf } });
    assert.equal(real.statusCode, 200, "the same write with the token goes through");
  });

  it("refuses JSON nested deeper than the limit, oversized bodies and malformed JSON with a 4xx", async () => {
    const reader = await signup(t.app, "Deep Nester");
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    const send = (payload: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/stories/${storyId}/comments`,
        headers: { ...auth(reader.token), "content-type": "application/json" },
        payload,
      });
    const deep = await send(`{"body":"hi","quote":${nested(MAX_JSON_DEPTH + 5)}}`);
    assert.equal(deep.statusCode, 400);
    assert.match(deep.json().error.message, /nested/);
    const veryDeep = await send(`{"body":${nested(100_000)}}`);
    assert.equal(veryDeep.statusCode, 400);
    const shallow = await send(`{"body":"A perfectly ordinary comment.","x":${nested(5)}}`);
    assert.equal(shallow.statusCode, 201, shallow.body);
    const huge = await send(JSON.stringify({ body: "x".repeat(300 * 1024) }));
    assert.equal(huge.statusCode, 413);
    assert.equal(huge.json().error.code, "PAYLOAD_TOO_LARGE");
    for (const bad of ['{"body":', "{'body':'x'}", '{"__proto__":{"admin":true},"body":"x"}', "\u0000"]) {
      const res = await send(bad);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(bad)} → ${res.statusCode}`);
    }
  });

  it("over a socket: refuses oversized headers, cuts off slow clients, caps live streams per address", async () => {
    const served = await testApp("sqlite", { env: { PARLEY_MAX_STREAMS_PER_IP: "2" } });
    try {
      // Short timeouts for this server only, so the test need not wait the production 15 s.
      served.app.server.headersTimeout = 1000;
      served.app.server.requestTimeout = 1500;
      await served.app.listen({ port: 0, host: "127.0.0.1" });
      const address = served.app.server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const big = await raw(port, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20 * 1024)}\r\n\r\n`], 0, 3000);
      assert.match(big.text, /^HTTP\/1\.1 431/);
      const slow = await raw(port, ["GET /healthz HTTP/1.1\r\n", "Host: x\r\n", ...Array.from({ length: 40 }, (_, i) => `X-Drip-${i}: 1\r\n`)], 250, 9000);
      assert.ok(!/200 OK/.test(slow.text), "a client dribbling its headers never gets an answer");
      assert.ok(slow.closedAfterMs < 8000, `the server hung up after ${slow.closedAfterMs} ms`);
      const story = await resolveStory(served.app);
      const url = `http://127.0.0.1:${port}/api/v1/stories/${story}/events`;
      const streams = [await connectSse(url), await connectSse(url)];
      const third = await connectSse(url);
      assert.deepEqual(streams.map((s) => s.status), [200, 200]);
      assert.equal(streams[0].headers.get("x-content-type-options"), "nosniff", "live streams are never sniffed either");
      assert.equal(third.status, 429);
      for (const s of [...streams, third]) s.close();
    } finally {
      await served.close();
    }
  });
});
