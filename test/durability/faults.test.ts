import assert from "node:assert/strict";
import { type Server, type Socket, createServer, connect } from "node:net";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { type Store, openStore, postgresTarget } from "../../src/store/db.js";
import { pgTimeouts } from "../../src/store/pg-timeouts.js";
import type { Database as Tables } from "../../src/store/schema.js";
import { DIALECTS, PG_URL, RELAXED_FOR_TESTS, type TestApp, freshDatabase, postComment, resolveStory, signup, testApp } from "../helpers.js";
import { freePort } from "../ports.js";

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
    // No busy wait: the app's own background jobs (outbox, backlog check) run on this thread, so a
    // blocking wait for their lock would stall the very event loop that is to release it.
    const other = new Database(file, { timeout: 0 });
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          other.exec("BEGIN IMMEDIATE");
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== "SQLITE_BUSY" || attempt >= 500) throw error;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
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

/**
 * A TCP proxy in front of PostgreSQL that, once armed, stops forwarding anything either way
 * (sockets stay open: a server that hangs, not one that is gone) from the first client bytes
 * holding `pattern` on, until resumed; then it delivers what it held, as a network would.
 */
async function stallingProxy(target: URL) {
  const port = await freePort();
  let trigger: string | null = null;
  let stalled = false;
  const held: [Socket, Buffer][] = [];
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket, toServer: boolean) =>
    from.on("data", (chunk: Buffer) => {
      if (toServer && trigger !== null && chunk.includes(trigger)) [stalled, trigger] = [true, null];
      if (stalled) held.push([to, chunk]);
      else to.write(chunk);
    });
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    forward(client, upstream, true);
    forward(upstream, client, false);
    // A client that gives up closes its side; the server sees that, as it would without a proxy.
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return {
    port,
    stallAt: (pattern: string) => void (trigger = pattern),
    resume() {
      stalled = false;
      for (const [to, chunk] of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/**
 * The store openStore builds for PostgreSQL, with `pgTimeouts` in its pool settings (as openStore
 * does once it takes PARLEY_DB_STATEMENT_TIMEOUT_MS), and one connection, so that a connection
 * wrongly handed back to the pool is the one the next request gets.
 */
function boundedStore(url: string, statementTimeoutMs: number): Store {
  const { connectionString, schema } = postgresTarget(url);
  const pool = new pg.Pool({ connectionString, max: 1, options: `-c search_path="${schema}"`, connectionTimeoutMillis: 5000, ...pgTimeouts(statementTimeoutMs) });
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { dialect: "postgres", schema, db, read: db, close: () => db.destroy() };
}

describe("PostgreSQL that hangs", { skip: pgSkip }, () => {
  const TIMEOUT_MS = 1000;
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let proxy: Awaited<ReturnType<typeof stallingProxy>>;
  let store: Store;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let token: string;
  let storyId: string;
  const stored = async (body: string) => (await store.db.selectFrom("comments").select("id").where("body", "=", body).execute()).length;

  before(async () => {
    database = await freshDatabase("postgres");
    await (await openStore(database.url)).close(); // migrated directly, not through the proxy
    proxy = await stallingProxy(new URL(PG_URL));
    const url = new URL(database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    store = boundedStore(url.toString(), TIMEOUT_MS);
    const env = { DATABASE_URL: url.toString(), LOG_LEVEL: "silent", PUBLIC_URL: "http://parley.test", PARLEY_ALLOWED_ORIGINS: "https://news.example", PARLEY_PASSWORD_MEMORY_KIB: "1024" };
    app = await buildApp({ config: loadConfig({ ...env, PARLEY_DB_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) }), store });
    await app.ready();
    await changeModerationSettings(app.deps, DEFAULT_SITE_ID, RELAXED_FOR_TESTS);
    token = (await signup(app, "Patient Reader")).token;
    storyId = await resolveStory(app);
  });
  after(async () => {
    proxy.resume();
    await app.close();
    await store.close();
    await proxy.close();
    await database.drop();
  });

  it("answers 503 when a statement waits on a lock past PARLEY_DB_STATEMENT_TIMEOUT_MS, and stores nothing", async () => {
    const { connectionString, schema } = postgresTarget(database.url);
    const locker = new pg.Client({ connectionString, options: `-c search_path="${schema}"` });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE");
      const body = "Posted while another session held the table.";
      const res = await postComment(app, token, storyId, { body });
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.json().error.code, "SERVICE_UNAVAILABLE");
      // The server cancelled the statement (a client that merely gave up would leave it waiting).
      const waiting = await locker.query("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'comments'::regclass");
      assert.equal(waiting.rows[0].n, 0, "no statement still waits on the lock");
      await locker.query("COMMIT");
      assert.equal(await stored(body), 0);
      assert.equal((await postComment(app, token, storyId, { body: "Posted once the lock was gone." })).statusCode, 201);
    } finally {
      await locker.end();
    }
  });

  it("answers 503 when PostgreSQL stops answering mid-transaction, and the abandoned write never lands", async () => {
    const body = "Posted while the database hung.";
    proxy.stallAt('insert into "comments"');
    const res = await postComment(app, token, storyId, { body });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.json().error.code, "SERVICE_UNAVAILABLE");

    // The server wakes up and gets what was held. Had the connection gone back to the pool,
    // its transaction would be open there, and the next request's COMMIT would store `body`.
    proxy.resume();
    const later = await postComment(app, token, storyId, { body: "Posted after the database woke up." });
    assert.equal(later.statusCode, 201, later.body);
    assert.equal(await stored(body), 0, "the abandoned transaction was rolled back");
    assert.equal(await stored("Posted after the database woke up."), 1);
  });
});
