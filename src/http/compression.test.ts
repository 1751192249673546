import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { LightMyRequestResponse } from "fastify";
import { type TestApp, post, signup, testApp } from "../../test/helpers.js";
import { acceptedEncoding } from "./compression.js";

const ARTICLE = "/articles/harbor-road-ferry-timetable";
const ARTICLE_URL = `http://parley.test${ARTICLE}`;
const BROWSER = { "accept-encoding": "br, gzip" };

const WORDS = (
  "ferry timetable harbour crossing council night island workers shift boat pier ticket fare " +
  "winter summer schedule evening morning late early commuters families tourists weather storm " +
  "captain crew engine delay cancelled route ramp parking bicycle bus station walk minutes hours " +
  "agree disagree think remember years ago since before after because although however really " +
  "the a to of and in on for with at from by about as it is was were be have has had not but"
).split(" ");

/** Prose-like comments: no two alike, so the sizes are what a real thread compresses to. */
function comment(seed: number): string {
  let x = seed * 2654435761;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % WORDS.length;
  const length = 25 + (seed % 40);
  const words = Array.from({ length }, next).map((i) => WORDS[i]);
  return `${words.join(" ")} (${seed * 37}).`;
}

function decoded(res: LightMyRequestResponse): string {
  const encoding = res.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(res.rawPayload).toString("utf8");
  if (encoding === "gzip") return gunzipSync(res.rawPayload).toString("utf8");
  return res.rawPayload.toString("utf8");
}

/** Pages say when they were rendered; two renders differ there only. */
const stamped = (page: string) => page.replace(/"renderedAt":"[^"]+"/g, '"renderedAt":""');

async function thread(t: TestApp): Promise<string> {
  const story = await t.app.inject({
    method: "GET",
    url: `/api/v1/stories/resolve?url=${encodeURIComponent(ARTICLE_URL)}`,
  });
  const storyId = story.json<{ id: string }>().id;
  const readers = await Promise.all(["Ada Lovelace", "Grace Hopper", "Tim Berners"].map((name) => signup(t.app, name)));
  for (let i = 0; i < 20; i++) await post(t.app, readers[i % readers.length].token, storyId, comment(i + 1));
  return storyId;
}

describe("compressed answers", () => {
  let t: TestApp;
  let pages: { name: string; url: string }[];
  before(async () => {
    t = await testApp("sqlite");
    const storyId = await thread(t);
    pages = [
      { name: "the article page", url: ARTICLE },
      { name: "a first page of comments", url: `/api/v1/stories/${storyId}/comments?sort=newest&limit=20` },
      { name: "the server-rendered thread", url: `/embed/threads?url=${encodeURIComponent(ARTICLE_URL)}` },
    ];
  });
  after(() => t.close());

  it("sends the article page, a first page of comments and the server-rendered thread at most 35% of their size", async () => {
    const sizes: string[] = [];
    for (const { name, url } of pages) {
      const plain = await t.app.inject({ method: "GET", url });
      const packed = await t.app.inject({ method: "GET", url, headers: BROWSER });
      assert.equal(plain.statusCode, 200, name);
      assert.equal(plain.headers["content-encoding"], undefined, `${name}: nothing asked, nothing compressed`);
      assert.ok(packed.headers["content-encoding"] === "br" || packed.headers["content-encoding"] === "gzip", name);
      assert.match(String(packed.headers.vary), /accept-encoding/i, name);
      // Large answers are compressed as a stream (chunked, no length); the others say their length.
      if (packed.headers["content-length"] !== undefined)
        assert.equal(Number(packed.headers["content-length"]), packed.rawPayload.length, name);
      assert.equal(packed.headers["cache-control"], plain.headers["cache-control"], `${name} keeps its cache rules`);
      assert.equal(stamped(decoded(packed)), stamped(plain.body), `${name} decompresses to the same page`);
      const share = packed.rawPayload.length / plain.rawPayload.length;
      sizes.push(
        `${name}: ${plain.rawPayload.length} -> ${packed.rawPayload.length} bytes (${Math.round(share * 100)}%)`,
      );
      assert.ok(share <= 0.35, sizes.at(-1));
    }
    process.stdout.write(`# ${sizes.join("; ")}\n`);
  });

  it("serves readers the cached first page compressed, and a new comment in the next one", async () => {
    const { url } = pages[1];
    const first = await t.app.inject({ method: "GET", url, headers: BROWSER });
    const again = await t.app.inject({ method: "GET", url, headers: BROWSER });
    assert.deepEqual(again.rawPayload, first.rawPayload);
    const reader = await signup(t.app, "Late Reader");
    const storyId = url.split("/")[4];
    await post(t.app, reader.token, storyId, "A comment posted after the page was cached and compressed.");
    const after = await t.app.inject({ method: "GET", url, headers: BROWSER });
    assert.match(decoded(after), /posted after the page was cached/);
  });

  it("answers gzip to a client that refuses br, and nothing compressed to one that asks for none", async () => {
    const { url } = pages[1];
    const gzip = await t.app.inject({ method: "GET", url, headers: { "accept-encoding": "br;q=0, gzip" } });
    assert.equal(gzip.headers["content-encoding"], "gzip");
    const identity = await t.app.inject({ method: "GET", url, headers: { "accept-encoding": "identity" } });
    assert.equal(identity.headers["content-encoding"], undefined);
    assert.equal(acceptedEncoding("gzip;q=0.5, br;q=1.0"), "br");
    assert.equal(acceptedEncoding("*"), "br");
    assert.equal(acceptedEncoding("deflate"), null);
  });

  it("never compresses a live stream", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const storyId = pages[1].url.split("/")[4];
    const { headers, text } = await new Promise<{ headers: Record<string, unknown>; text: string }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port,
            path: `/api/v1/stories/${storyId}/events`,
            headers: { ...BROWSER, accept: "text/event-stream" },
          },
          (res) => {
            res.once("data", (chunk: Buffer) => {
              resolve({ headers: res.headers, text: chunk.toString("utf8") });
              req.destroy();
            });
          },
        );
        req.on("error", reject);
        req.end();
      },
    );
    assert.match(String(headers["content-type"]), /^text\/event-stream/);
    assert.equal(headers["content-encoding"], undefined);
    assert.match(text, /^retry: 3000/);
  });
});

describe("compression switched off (behind a proxy that compresses)", () => {
  let t: TestApp;
  before(async () => (t = await testApp("sqlite", { env: { PARLEY_COMPRESSION: "false" } })));
  after(() => t.close());

  it("answers pages and JSON as they are, whatever the client asks", async () => {
    const storyId = await thread(t);
    for (const url of [
      ARTICLE,
      `/api/v1/stories/${storyId}/comments?sort=newest&limit=20`,
      `/embed/threads?url=${encodeURIComponent(ARTICLE_URL)}`,
    ]) {
      const res = await t.app.inject({ method: "GET", url, headers: BROWSER });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers["content-encoding"], undefined, url);
    }
  });
});
