import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { openStore } from "../../src/store/db.js";
import { DIALECTS, freshDatabase } from "../helpers.js";
import { type SseClient, type SseFrame, connectSse } from "../sse.js";
import { type Managed, NGINX, ROOT, TEMPLATE, siteConfig, startNginx, startNode } from "./cluster.js";

const REDIS_URL = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
const CI = process.env.CI === "true";

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const pgSkip = DIALECTS.find((d) => d.dialect === "postgres")?.skip ?? false;
const nginxSkip = NGINX || CI ? false : "nginx is not installed (/usr/sbin/nginx); skipping the multi-node test";
const redisUp = await redisAnswers();
if (!redisUp && CI) throw new Error(`Redis does not answer at ${REDIS_URL}; in CI the multi-node test runs on it.`);

const created = (frames: SseFrame[]) => frames.filter((f) => f.event === "comment.created");
const createdIds = (frames: SseFrame[]) => created(frames).map((f) => (JSON.parse(f.data ?? "{}") as { commentId: string }).commentId);

describe("the docs' nginx configuration", () => {
  it("is the one the multi-node test runs, quoted whole in docs/SCALING.md", () => {
    const template = readFileSync(TEMPLATE, "utf8");
    const docs = readFileSync(join(ROOT, "docs", "SCALING.md"), "utf8");
    assert.ok(docs.includes(`\`\`\`nginx\n${template}\`\`\``), "docs/SCALING.md quotes test/multinode/nginx.conf.template");
    const filled = siteConfig(template, { listen: "127.0.0.1:8080", nodes: ["127.0.0.1:4001", "127.0.0.1:4002"] });
    assert.match(filled, /server 127\.0\.0\.1:4001;\n {4}server 127\.0\.0\.1:4002;\n/);
    assert.doesNotMatch(filled, /10\.0\.0\.1\d/);
    assert.match(filled, /listen 127\.0\.0\.1:8080;/);
  });
});

for (const variant of [
  { name: "PostgreSQL LISTEN/NOTIFY", redis: false },
  { name: "Redis pub/sub", redis: true },
]) {
  const skip = nginxSkip || pgSkip || (variant.redis && !redisUp ? `Redis not reachable at ${REDIS_URL}` : false);
  describe(`three nodes behind nginx, fan-out over ${variant.name}`, { skip }, () => {
    const started: Managed[] = [];
    const streams: SseClient[] = [];
    let a: Managed;
    let b: Managed;
    let c: Managed;
    let nginx: Managed;
    let dir: string;
    let dropDatabase: () => Promise<void> = async () => undefined;
    let storyId: string;

    const api = async (base: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
      const res = await fetch(`${base}${path}`, {
        method: init.method ?? "GET",
        headers: {
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          ...(init.method === "POST" ? { "idempotency-key": randomBytes(8).toString("hex") } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    let readers = 0;
    const signup = async (base: string) => {
      readers += 1;
      const res = await api(base, "/api/v1/auth/signup", {
        method: "POST",
        body: { email: `node-reader${readers}-${randomBytes(3).toString("hex")}@example.com`, password: "correct horse battery", displayName: `Reader ${readers}` },
      });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return res.json.token as string;
    };
    const topics = ["bus lanes", "the bridge repairs", "the library hours", "winter gritting", "the market square", "cycle parking", "the school run", "night buses", "the river path"];
    let posted = 0;
    /** A published comment from a new reader, posted on `base`; returns its id. */
    const comment = async (base: string) => {
      const token = await signup(base);
      const topic = topics[posted++ % topics.length];
      const res = await api(base, `/api/v1/stories/${storyId}/comments`, {
        method: "POST",
        token,
        body: { body: `Comment ${posted} on ${topic}: the council should publish the figures.` },
      });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      const saved = res.json.comment as { id: string; status: string };
      assert.equal(saved.status, "published");
      return saved.id;
    };
    const sse = async (url: string, headers: Record<string, string> = {}) => {
      const client = await connectSse(url, headers);
      streams.push(client);
      assert.equal(client.status, 200);
      await client.until((f) => f.length > 0, 10_000);
      return client;
    };

    before(async () => {
      const db = await freshDatabase("postgres");
      dropDatabase = db.drop;
      // Migrate once before the nodes start, as docs/SCALING.md asks operators to.
      await (await openStore(db.url, { poolSize: 1 })).close();
      dir = mkdtempSync(join(tmpdir(), "parley-multinode-"));
      const env = {
        DATABASE_URL: db.url,
        PARLEY_SECRET: randomBytes(24).toString("hex"),
        PARLEY_DEMO: "false",
        PARLEY_TRUST_PROXY: "true",
        PARLEY_ALLOWED_ORIGINS: "https://news.example",
        PARLEY_PASSWORD_MEMORY_KIB: "1024",
        PUBLIC_URL: "http://comments.news.example",
        LOG_LEVEL: "warn",
        ...(variant.redis ? { REDIS_URL } : {}),
      };
      const nodes = await Promise.allSettled(["A", "B", "C"].map((name) => startNode(`node ${name}`, env)));
      for (const n of nodes) if (n.status === "fulfilled") started.push(n.value);
      const failed = nodes.find((n) => n.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
      [a, b, c] = started;
      nginx = await startNginx(
        dir,
        started.map((n) => n.base.replace("http://", "")),
      );
      started.push(nginx);
      const res = await api(nginx.base, `/api/v1/stories/resolve?url=${encodeURIComponent(`https://news.example/council-${randomBytes(4).toString("hex")}`)}`);
      assert.equal(res.status, 200);
      storyId = res.json.id as string;
    });

    after(async () => {
      for (const s of streams) s.close();
      await Promise.all(started.map((p) => p.stop()));
      await dropDatabase();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const events = () => `/api/v1/stories/${storyId}/events`;
    let onB: SseClient;
    let onC: SseClient;

    it("delivers a comment posted on one node to readers on the others and through nginx, in order, exactly once", async () => {
      onB = await sse(`${b.base}${events()}`);
      onC = await sse(`${c.base}${events()}`);
      // least_conn spreads these over the three nodes.
      const proxied = [];
      for (let i = 0; i < 3; i++) proxied.push(await sse(`${nginx.base}${events()}`));
      const ids = [await comment(a.base), await comment(a.base), await comment(nginx.base), await comment(a.base)];
      for (const reader of [onB, onC, ...proxied]) {
        await reader.until((f) => created(f).length >= ids.length, 10_000);
      }
      // Anything sent twice would arrive right behind the first copy.
      await new Promise((r) => setTimeout(r, 300));
      for (const reader of [onB, onC, ...proxied]) {
        assert.deepEqual(createdIds(reader.frames), ids);
        const seqs = created(reader.frames).map((f) => Number(f.id));
        assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), "event ids increase");
      }
    });

    it("holds a rate limit hit on node A on node B", async () => {
      const token = await signup(a.base);
      const body = { body: "A first thought on the timetable changes." };
      const first = await api(a.base, `/api/v1/stories/${storyId}/comments`, { method: "POST", token, body });
      assert.equal(first.status, 201);
      const second = await api(b.base, `/api/v1/stories/${storyId}/comments`, {
        method: "POST",
        token,
        body: { body: "And a second one straight after, on another node." },
      });
      assert.equal(second.status, 429, JSON.stringify(second.json));
      assert.equal((second.json.error as { code: string }).code, "RATE_LIMITED");
      assert.ok(Number(second.headers.get("retry-after")) > 0);
      await onC.until((f) => createdIds(f).includes((first.json.comment as { id: string }).id), 10_000);
    });

    it("loses nothing when node B dies and its reader resumes on node C with Last-Event-ID", async () => {
      await onB.until((f) => created(f).length === created(onC.frames).length, 10_000);
      const lastId = created(onB.frames).at(-1)?.id;
      assert.ok(lastId);
      await b.kill();
      const missed = [await comment(a.base), await comment(nginx.base), await comment(c.base)];
      const resumed = await sse(`${c.base}${events()}`, { "last-event-id": lastId });
      // Through nginx too: a stream that was on B reconnects to whichever node is left.
      const reconnected = [];
      for (let i = 0; i < 3; i++) reconnected.push(await sse(`${nginx.base}${events()}`, { "last-event-id": lastId }));
      const during = await comment(a.base);
      for (const reader of [resumed, ...reconnected]) {
        await reader.until((f) => created(f).length >= missed.length + 1, 10_000);
      }
      await new Promise((r) => setTimeout(r, 300));
      for (const reader of [resumed, ...reconnected]) assert.deepEqual(createdIds(reader.frames), [...missed, during]);
      const history = createdIds(onC.frames);
      assert.deepEqual(history.slice(history.length - 4), [...missed, during], "node C's own reader saw the same");
    });
  });
}
