import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import Fastify from "fastify";
import { loadConfig } from "../config.js";
import { type TestApp, testApp } from "../../test/helpers.js";
import { freePort } from "../../test/ports.js";
import { SERVER_LIMITS } from "./security.js";

/** Sends raw bytes to a listener and reads everything it answers until it closes the connection. */
function raw(port: number, write: (socket: ReturnType<typeof connect>) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
    socket.setTimeout(10_000, () => socket.destroy());
    write(socket);
  });
}

const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { error: { code: string; message: string } };

describe("the edges of a request", () => {
  let t: TestApp;
  let port: number;
  const lines: string[] = [];
  const METRICS_TOKEN = "a-token-for-the-scraper";
  let metricsPort: number;
  before(async () => {
    metricsPort = await freePort();
    t = await testApp("sqlite", {
      env: { LOG_LEVEL: "info", PARLEY_METRICS_TOKEN: METRICS_TOKEN, PARLEY_METRICS_PORT: String(metricsPort), PARLEY_HSTS_SECONDS: "600" },
      logStream: { write: (line) => void lines.push(line) },
    });
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    port = (t.app.server.address() as { port: number }).port;
  });
  after(() => t.close());

  it("answers headers that are too large with 431 in the one error shape", async () => {
    const answer = await raw(port, (s) => s.end(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`));
    assert.match(answer, /^HTTP\/1.1 431 /);
    assert.equal(bodyOf(answer).error.code, "HEADERS_TOO_LARGE");
  });

  it("answers a request that takes too long to arrive with 408 in the one error shape", async () => {
    const app = Fastify({ ...SERVER_LIMITS, requestTimeout: 300, http: { ...SERVER_LIMITS.http, headersTimeout: 300, connectionsCheckingInterval: 50 } });
    app.get("/", async () => "ok");
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const slow = (app.server.address() as { port: number }).port;
      const answer = await raw(slow, (s) => s.write("GET / HTTP/1.1\r\nHost: x\r\n"));
      assert.match(answer, /^HTTP\/1.1 408 /);
      assert.equal(bodyOf(answer).error.code, "REQUEST_TIMEOUT");
    } finally {
      await app.close();
    }
  });

  it("logs a client that aborts its upload as an abort, not as a database outage", async () => {
    await raw(port, (s) => {
      s.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"email":"a`);
      setTimeout(() => s.destroy(), 200);
    });
    const deadline = Date.now() + 5000;
    while (!lines.some((l) => l.includes("the client aborted its request")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(lines.some((l) => l.includes("the client aborted its request")), "logged as an abort");
    assert.ok(!lines.some((l) => l.includes("database unavailable") || /"statusCode":5\d\d/.test(l)), "no outage, no 5xx");
  });

  it("serves /metrics only with its token on the public listener, and freely on its own listener", async () => {
    assert.equal((await t.app.inject({ method: "GET", url: "/metrics" })).statusCode, 401);
    assert.equal((await t.app.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer not-the-metrics-token-at-all" } })).statusCode, 403);
    const scraped = await t.app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(scraped.statusCode, 200);
    assert.match(scraped.body, /parley_http_request_duration_seconds/);
    const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(own.status, 200);
    assert.match(await own.text(), /parley_http_request_duration_seconds/);
    assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/api/v1/me`)).status, 404);
  });

  it("sends HSTS without includeSubDomains unless it is asked for", async () => {
    assert.equal((await t.app.inject({ method: "GET", url: "/healthz" })).headers["strict-transport-security"], "max-age=600");
  });
});

describe("trusted proxies", () => {
  it("reads PARLEY_TRUST_PROXY as off, one proxy, a number of proxies or their addresses", () => {
    const trust = (value: string) => loadConfig({ PARLEY_TRUST_PROXY: value }).trustProxy;
    assert.equal(trust("false"), false);
    assert.equal(trust("true"), 1);
    assert.equal(trust("2"), 2);
    assert.deepEqual(trust("10.0.0.0/8, 127.0.0.1"), ["10.0.0.0/8", "127.0.0.1"]);
    assert.throws(() => trust("everyone"), /PARLEY_TRUST_PROXY must be/);
  });

  for (const [setting, expected] of [
    ["true", "198.51.100.7"],
    ["2", "203.0.113.9"],
    ["127.0.0.1", "198.51.100.7"],
  ] as const) {
    it(`takes the client's address from the right with PARLEY_TRUST_PROXY=${setting}, never the spoofable left`, async () => {
      const lines: string[] = [];
      const t = await testApp("sqlite", { env: { PARLEY_TRUST_PROXY: setting, LOG_LEVEL: "info" }, logStream: { write: (line) => void lines.push(line) } });
      try {
        await t.app.inject({ method: "GET", url: "/healthz", headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 198.51.100.7" }, remoteAddress: "127.0.0.1" });
        const logged = lines.map((l) => JSON.parse(l) as { req?: { remoteAddress?: string } }).find((l) => l.req?.remoteAddress);
        assert.equal(logged?.req?.remoteAddress, expected);
      } finally {
        await t.close();
      }
    });
  }
});
