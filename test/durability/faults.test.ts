import assert from "node:assert/strict";
import { type Server, type Socket, createServer, connect } from "node:net";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { sql } from "kysely";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { openStore } from "../../src/store/db.js";
import { DIALECTS, PG_URL, RELAXED_FOR_TESTS, type TestApp, freshDatabase, postComment, resolveStory, signup, testApp } from "../helpers.js";
import { freePort } from "./harness.js";

const pgSkip = DIALECTS.find((d) => d.dialect === "postgres")?.skip ?? false;

async function exists(t: { store: TestApp["store"] }, body: string): Promise<boolean> {
  return (await t.store.db.selectFrom("comments").select("id").where("body", "=", body).execute()).length > 0;
}

describe("SQLite faults", () => {
  let t: TestApp;
  let token: string;
  let storyId: string;
  before(async () => {
    t = await testApp("sqlite");
    token = (await signup(t.app, "Faulty Reader")).token;
    storyId = await resolveStory(t.app);
  });
  after(() => t.close());

  it("answers 503 on a full disk, acknowledges nothing, and recovers when space returns", async () => {
    const pages = await sql<{ page_count: number }>`PRAGMA page_count`.execute(t.store.db);
    await sql.raw(`PRAGMA max_page_count = ${pages.rows[0].page_count}`).execute(t.store.db);
    let full: { status: number; code: string; body: string } | undefined;
    for (let i = 0; i < 400 && !full; i++) {
      const body = `Filling the disk, comment ${i}: ${"words ".repeat(150)}`;
      const res = await postComment(t.app, token, storyId, { body }, { "idempotency-key": `fill-${i}` });
      if (res.statusCode !== 201) full = { status: res.statusCode, code: res.json().error.code, body };
    }
    assert.ok(full, "the disk filled up");
    assert.equal(full.status, 503);
    assert.equal(full.code, "SERVICE_UNAVAILABLE");
    assert.equal(await exists(t, full.body), false, "the refused comment was not stored");
    await sql.raw("PRAGMA max_page_count = 1073741823").execute(t.store.db);
    const again = await postComment(t.app, token, storyId, { body: full.body });
    assert.equal(again.statusCode, 201, again.body);
  });

  it("answers 503 while another process holds the write lock, and recovers when it lets go", async () => {
    const file = t.config.databaseUrl.replace(/^sqlite:/, "");
    const other = new Database(file);
    try {
      other.exec("BEGIN IMMEDIATE");
      const body = "Posted while the database is locked by someone else.";
      const res = await postComment(t.app, token, storyId, { body });
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.headers["retry-after"], "5");
      other.exec("COMMIT");
      assert.equal(await exists(t, body), false);
      assert.equal((await postComment(t.app, token, storyId, { body })).statusCode, 201);
    } finally {
      other.close();
    }
  });
});

/** A TCP proxy in front of PostgreSQL that can stop answering (refuse and reset) and come back. */
async function pgProxy(target: URL): Promise<{ port: number; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const down = async () => {
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closed;
    server = undefined;
  };
  await up();
  return { port, up, down, close: down };
}

describe("PostgreSQL that stops answering", { skip: pgSkip }, () => {
  it("answers 503 while the database is gone, stays up, and serves again when it returns", async () => {
    const database = await freshDatabase("postgres");
    const proxy = await pgProxy(new URL(PG_URL));
    const url = new URL(database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const store = await openStore(url.toString(), { poolSize: 4 });
    const app = await buildApp({
      config: loadConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: "silent", PUBLIC_URL: "http://parley.test", PARLEY_ALLOWED_ORIGINS: "https://news.example", PARLEY_PASSWORD_MEMORY_KIB: "1024" }),
      store,
    });
    try {
      await app.ready();
      await changeModerationSettings(app.deps, DEFAULT_SITE_ID, RELAXED_FOR_TESTS);
      const { token } = await signup(app, "Patient Reader");
      const storyId = await resolveStory(app);
      assert.equal((await postComment(app, token, storyId, { body: "Before the outage." })).statusCode, 201);

      await proxy.down();
      const during = "Posted while the database was away.";
      const refused = await postComment(app, token, storyId, { body: during });
      assert.equal(refused.statusCode, 503, refused.body);
      assert.equal(refused.json().error.code, "SERVICE_UNAVAILABLE");
      assert.equal((await app.inject({ method: "GET", url: "/readyz" })).statusCode, 503);
      assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 200, "the process itself still runs");

      await proxy.up();
      let ready = 0;
      for (let i = 0; i < 20 && ready !== 200; i++) {
        ready = (await app.inject({ method: "GET", url: "/readyz" })).statusCode;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(ready, 200, "ready again once the database answers");
      const later = await postComment(app, token, storyId, { body: "After the outage." });
      assert.equal(later.statusCode, 201, later.body);
      const bodies = (await store.db.selectFrom("comments").select("body").execute()).map((r) => r.body);
      assert.ok(!bodies.includes(during), "nothing from the outage was stored");
    } finally {
      await app.close();
      await store.close();
      await proxy.close();
      await database.drop();
    }
  });
});
