import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { AppError } from "../errors.js";
import { MAX_ANSWER_BYTES, askWebhook, checkWebhookUrl, isPublicAddress, postWebhook, targetAddress } from "./webhook-target.js";

const NOT_PUBLIC = [
  "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.8.9.10",
  "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.0.2.7", "198.18.0.1", "224.0.0.251",
  "239.255.255.250", "255.255.255.255",
  "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "::127.0.0.1", "64:ff9b::10.0.0.1",
  "2002:c0a8:101::1", "fc00::1", "fd12:3456:789a::1", "fe80::1", "febf::1", "ff02::1", "2001:db8::1",
  "not an address",
];
// Only classified here: no test sends anything to them.
const PUBLIC = ["1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8"];

describe("webhook target addresses", () => {
  it("tells public addresses from loopback, private, link-local, CGNAT, multicast and unspecified ones", () => {
    for (const address of NOT_PUBLIC) assert.equal(isPublicAddress(address), false, address);
    for (const address of PUBLIC) assert.equal(isPublicAddress(address), true, address);
  });

  it("refuses literal private addresses and local names when saved, unless private targets are allowed", () => {
    const refused = (url: string, allow = false) => {
      try {
        checkWebhookUrl(url, allow);
        return null;
      } catch (e) {
        assert.ok(e instanceof AppError);
        return `${e.status} ${e.code}`;
      }
    };
    for (const url of ["http://127.1/h", "http://0x7f000001/h", "http://[0:0:0:0:0:ffff:7f00:1]/h", "http://foo.localhost./h", "https://169.254.169.254/"]) {
      assert.equal(refused(url), "400 WEBHOOK_URL_NOT_PUBLIC", url);
      assert.equal(refused(url, true), null, `${url} with PARLEY_WEBHOOK_ALLOW_PRIVATE`);
    }
    assert.equal(refused("https://hooks.news.example/parley"), null);
    assert.equal(refused("https://8.8.8.8/parley"), null);
    assert.equal(refused("http://[::1"), "400 INVALID_URL");
  });

  it("checks every address a name resolves to, at delivery", async () => {
    await assert.rejects(targetAddress("localhost", false), /^Error: refused: localhost resolves to (127\.0\.0\.1|::1), which is not a public address$/);
    await assert.rejects(targetAddress("[::1]", false), /refused: ::1 is not a public address/);
    assert.deepEqual(await targetAddress("127.0.0.1", true), { address: "127.0.0.1", family: 4 });
  });

  it("never follows a redirect, and sends nothing at all to a refused address", async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url} ${req.headers.host}`);
      req.resume();
      if (req.url === "/moved") return void res.writeHead(307, { location: "/elsewhere" }).end();
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const post = { headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 5000, allowPrivate: true };
      assert.equal(await postWebhook(`http://localhost:${port}/hook?x=1`, post), 204);
      assert.equal(await postWebhook(`http://127.0.0.1:${port}/moved`, post), 307);
      assert.deepEqual(hits, [`POST /hook?x=1 localhost:${port}`, `POST /moved 127.0.0.1:${port}`], "the redirect's target was never asked");
      await assert.rejects(postWebhook(`http://localhost:${port}/hook`, { ...post, allowPrivate: false }), /refused/);
      assert.equal(hits.length, 2, "a refused delivery never connects");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("reads an answer's body up to a bound, through the same pinned connection, without following redirects", async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(`${req.url} ${req.headers.host}`);
      req.resume();
      if (req.url === "/verdict") return void res.writeHead(200, { "content-type": "application/json" }).end('{"action":"hold"}');
      if (req.url === "/moved") return void res.writeHead(302, { location: "/verdict" }).end("see /verdict");
      if (req.url === "/declared") return void res.writeHead(200, { "content-length": MAX_ANSWER_BYTES + 1 }).end("x".repeat(MAX_ANSWER_BYTES + 1));
      if (req.url === "/stalls") return void res.writeHead(200).write("{"); // and never ends
      // Streamed without a length: 70,000 bytes in 10,000-byte chunks.
      res.writeHead(200);
      for (let i = 0; i < 7; i++) res.write("y".repeat(10_000));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const post = { headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 5000, allowPrivate: true };
      assert.deepEqual(await askWebhook(`${base.replace("127.0.0.1", "localhost")}/verdict`, post), { status: 200, body: '{"action":"hold"}' });
      assert.deepEqual(await askWebhook(`${base}/moved`, post), { status: 302, body: "see /verdict" });
      assert.equal(hits.filter((h) => h.startsWith("/verdict")).length, 1, "the redirect's target was never asked");
      await assert.rejects(askWebhook(`${base}/declared`, post), /answer larger than 65536 bytes/);
      await assert.rejects(askWebhook(`${base}/streamed`, post), /answer larger than 65536 bytes/);
      assert.equal((await askWebhook(`${base}/streamed`, post, 100_000)).body.length, 70_000);
      await assert.rejects(askWebhook(`${base}/stalls`, { ...post, timeoutMs: 200 }), /timed out/, "the timeout covers reading the answer");

      const before = hits.length;
      await assert.rejects(askWebhook(`${base}/verdict`, { ...post, allowPrivate: false }), /refused: 127\.0\.0\.1 is not a public address/);
      await assert.rejects(askWebhook(`${base.replace("http:", "ftp:")}/verdict`, post), /refused: ftp: is not http or https/);
      assert.equal(hits.length, before, "a refused request never connects");
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
