/**
 * The production launcher with PARLEY_WORKERS=2: a primary and two worker processes sharing
 * the port and the database, started as an operator starts them. Which worker answered comes
 * from the `parley-worker` header; connections go round robin, so a test keeps opening new
 * ones until it has the worker it wants (bounded).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import { createUser, openSession } from "../../src/accounts/service.js";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { openStore } from "../../src/store/db.js";
import { type ServerProcess, startServer } from "../durability/harness.js";
import { DIALECTS, RELAXED_FOR_TESTS, freshDatabase, resolveStory, signup } from "../helpers.js";
import { type SseClient, type SseFrame, connectSse } from "../sse.js";

const SECRET = "workers test secret 0123456789";
const WORKERS = "2";
const POSTS = 24;

interface Answer {
  worker: string;
  status: number;
  json: Record<string, unknown>;
}

type Send = (method: string, path: string, token: string | null, body?: object, headers?: Record<string, string>) => Promise<Answer>;

/** A request on `agent`'s one kept-alive connection (or a new connection when there is no agent). */
function send(base: string, agent: Agent | undefined): Send {
  return (method, path, token, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body ? JSON.stringify(body) : undefined;
      const req = httpRequest(
        base + path,
        {
          method,
          agent: agent ?? false,
          timeout: 10_000,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { "content-type": "application/json" } : {}),
            ...headers,
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ worker: String(res.headers["parley-worker"] ?? ""), status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on("error", reject);
      req.end(payload);
    });
}

/**
 * Requests that all go to worker `worker`: one kept-alive connection, opened again (at most
 * 40 times) until the cluster's round robin gives it to that worker.
 */
async function pinned(base: string, worker: string): Promise<{ send: Send; close(): void }> {
  for (let i = 0; i < 40; i++) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answer = await send(base, agent)("GET", "/healthz", null);
    if (answer.worker === worker) return { send: send(base, agent), close: () => agent.destroy() };
    agent.destroy();
  }
  throw new Error(`worker ${worker} never took a connection in 40 tries`);
}

const created = (frames: SseFrame[]) =>
  frames.filter((f) => f.event === "comment.created").map((f) => JSON.parse(f.data ?? "{}") as { seq: number; comment: { id: string } });

for (const { dialect, skip } of DIALECTS) {
  describe(`PARLEY_WORKERS=${WORKERS} on ${dialect}`, { skip }, () => {
    let url: string;
    let drop: () => Promise<void>;
    let server: ServerProcess;
    const users: { token: string; id: string }[] = [];
    let admin: string;
    let limited: { token: string; id: string };
    let storyId: string;

    before(async () => {
      ({ url, drop } = await freshDatabase(dialect));
      const env = { DATABASE_URL: url, PARLEY_SECRET: SECRET, PARLEY_PASSWORD_MEMORY_KIB: "1024", PARLEY_ALLOWED_ORIGINS: "https://news.example" };
      const store = await openStore(url);
      const app = await buildApp({ config: loadConfig({ ...env, LOG_LEVEL: "silent" }), store });
      await app.ready();
      await changeModerationSettings(app.deps, DEFAULT_SITE_ID, RELAXED_FOR_TESTS);
      for (let i = 0; i < 4; i++) users.push(await signup(app, `Worker reader ${i}`));
      limited = await signup(app, "Limited reader");
      const owner = await createUser(app.deps, { email: `admin-${randomBytes(4).toString("hex")}@example.com`, password: "workers admin password", displayName: "Workers admin", role: "admin" });
      admin = (await openSession(app.deps, owner, "password")).token;
      storyId = await resolveStory(app);
      await app.close();
      await store.close();
      server = await startServer({ ...env, PARLEY_WORKERS: WORKERS });
    });
    after(async () => {
      await server?.kill();
      await drop();
    });

    it("delivers every comment exactly once, in order, to readers on either worker, whichever worker took it", async () => {
      // Readers on both workers: keep connecting until each worker holds at least two.
      const readers: { worker: string; sse: SseClient }[] = [];
      for (let i = 0; i < 40 && !["0", "1"].every((w) => readers.filter((r) => r.worker === w).length >= 2); i++) {
        const sse = await connectSse(`${server.base}/api/v1/stories/${storyId}/events`, { connection: "close" });
        assert.equal(sse.status, 200);
        readers.push({ worker: sse.headers.get("parley-worker") ?? "", sse });
      }
      assert.deepEqual([...new Set(readers.map((r) => r.worker))].sort(), ["0", "1"], "readers are connected to both workers");
      await Promise.all(readers.map((r) => r.sse.until((f) => f.length > 0)));

      const posted: { id: string; worker: string }[] = [];
      await Promise.all(
        users.map(async (user, u) => {
          for (let i = 0; i < POSTS / users.length; i++) {
            const answer = await send(server.base, undefined)("POST", `/api/v1/stories/${storyId}/comments`, user.token, { body: `Across workers ${u}.${i}` });
            assert.equal(answer.status, 201, JSON.stringify(answer.json));
            posted.push({ id: (answer.json.comment as { id: string }).id, worker: answer.worker });
          }
        }),
      );
      assert.deepEqual([...new Set(posted.map((p) => p.worker))].sort(), ["0", "1"], "both workers took comments");
      const ids = new Set(posted.map((p) => p.id));
      for (const reader of readers) {
        const frames = await reader.sse.until((f) => created(f).length >= POSTS, 20_000);
        // A moment for a duplicate, if any were coming, to arrive too.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const events = created(frames);
        assert.equal(events.length, POSTS, `reader on worker ${reader.worker} got each comment once`);
        assert.deepEqual(new Set(events.map((e) => e.comment.id)), ids);
        for (let i = 1; i < events.length; i++) assert.ok(events[i].seq > events[i - 1].seq, "in order");
        reader.sse.close();
      }
    });

    it("answers a retry with the first response whichever worker takes it, and writes the comment once", async () => {
      const [zero, one] = [await pinned(server.base, "0"), await pinned(server.base, "1")];
      try {
        const key = `k-${randomBytes(6).toString("hex")}`;
        const body = { body: `Once only ${key}` };
        const path = `/api/v1/stories/${storyId}/comments`;
        const first = await zero.send("POST", path, users[0].token, body, { "idempotency-key": key });
        assert.equal(first.status, 201);
        const retry = await one.send("POST", path, users[0].token, body, { "idempotency-key": key });
        assert.equal(retry.worker, "1");
        assert.equal(retry.status, 201);
        assert.equal((retry.json.comment as { id: string }).id, (first.json.comment as { id: string }).id);
        // Concurrent first attempts with a new key, spread over both workers: one comment, one answer.
        const racing = `r-${randomBytes(6).toString("hex")}`;
        const answers = await Promise.all(
          Array.from({ length: 8 }, () => send(server.base, undefined)("POST", path, users[1].token, { body: `Racing ${racing}` }, { "idempotency-key": racing })),
        );
        assert.ok(answers.every((a) => a.status === 201), JSON.stringify(answers.map((a) => a.status)));
        assert.equal(new Set(answers.map((a) => (a.json.comment as { id: string }).id)).size, 1);
        const page = await one.send("GET", `/api/v1/stories/${storyId}/comments?limit=100`, null);
        const bodies = (page.json.items as { bodyHtml: string }[]).map((c) => c.bodyHtml);
        assert.equal(bodies.filter((b) => b.includes(key)).length, 1);
        assert.equal(bodies.filter((b) => b.includes(racing)).length, 1);
      } finally {
        zero.close();
        one.close();
      }
    });

    it("starts a worker that dies again, and the new one serves the same database", { skip: !existsSync("/proc/self/task") }, async () => {
      const children = () =>
        readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
      const before = children();
      assert.equal(before.length, 2, "two workers");
      process.kill(before[1], "SIGKILL");
      // The primary starts a replacement after half a second; the survivor serves meanwhile.
      for (let i = 0; i < 200 && !(children().length === 2 && !children().includes(before[1])); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(children().length, 2, "a new worker took the dead one's place");
      // Until it listens, the survivor takes every connection.
      const seen = new Set<string>();
      for (let i = 0; i < 300 && seen.size < 2; i++) {
        seen.add((await send(server.base, undefined)("GET", "/healthz", null)).worker);
        if (seen.size < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.deepEqual([...seen].sort(), ["0", "1"]);
      const [zero, one] = [await pinned(server.base, "0"), await pinned(server.base, "1")];
      try {
        const page = await one.send("GET", `/api/v1/stories/${storyId}/comments?limit=5`, null);
        assert.equal(page.status, 200);
        assert.equal((await zero.send("GET", "/readyz", null)).status, 200);
      } finally {
        zero.close();
        one.close();
      }
    });

    it("applies a setting saved through one worker on the next request to the other, and holds rate limits across workers", async () => {
      const [zero, one] = [await pinned(server.base, "0"), await pinned(server.base, "1")];
      try {
        const path = `/api/v1/stories/${storyId}/comments`;
        // Worker 1 reads the settings (rate limits off) and keeps them.
        assert.equal((await one.send("POST", path, users[3].token, { body: "Before the change" })).status, 201);
        const saved = await zero.send("PATCH", "/api/v1/admin/settings", admin, {
          moderation: { rateLimits: { ...RELAXED_FOR_TESTS.rateLimits, enabled: true, commentIntervalSeconds: 3600 } },
        });
        assert.equal(saved.status, 200, JSON.stringify(saved.json));
        const firstOnOne = await one.send("POST", path, limited.token, { body: "Limited once" });
        assert.equal(firstOnOne.status, 201, "the first comment of the interval is taken");
        const secondOnZero = await zero.send("POST", path, limited.token, { body: "Limited twice" });
        assert.equal(secondOnZero.status, 429, "worker 0 counts the comment worker 1 took");
        const thirdOnOne = await one.send("POST", path, limited.token, { body: "Limited thrice" });
        assert.equal(thirdOnOne.status, 429, "worker 1 forgot its cached settings when worker 0 saved new ones");
      } finally {
        zero.close();
        one.close();
      }
    });
  });
}
