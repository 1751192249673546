import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { type Config, loadConfig } from "../src/config.js";
import type { Clock } from "../src/context.js";
import { buildApp } from "../src/http/app.js";
import { type Dialect, type Store, openStore } from "../src/store/db.js";
import { type ScratchDatabase, scratchDatabase } from "./scratch.js";
import type { Scorer } from "../src/classifier/types.js";
import { changeModerationSettings } from "../src/moderation/settings.js";
import { changeAccountSettings } from "../src/accounts/settings.js";
import { DEFAULT_SITE_ID } from "../src/site/service.js";

export const PG_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

async function postgresAnswers(): Promise<boolean> {
  // A loaded machine can take seconds to accept a connection: try a few times before skipping.
  for (let attempt = 0; attempt < 3; attempt++) {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query("select 1");
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return false;
}

const pgUp = await postgresAnswers();
if (!pgUp && process.env.CI === "true") {
  throw new Error(`PostgreSQL does not answer at ${PG_URL}; in CI every storage test must run on it.`);
}

/** The dialects every storage test runs on, with a skip reason where one cannot run. */
export const DIALECTS: { dialect: Dialect; skip: string | false }[] = [
  { dialect: "sqlite", skip: false },
  { dialect: "postgres", skip: pgUp ? false : `PostgreSQL not reachable at ${PG_URL}; skipping PostgreSQL tests` },
];

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL schema. */
export async function freshDatabase(dialect: Dialect): Promise<ScratchDatabase> {
  return scratchDatabase(dialect, PG_URL, "t");
}

/** A clock tests can move. */
export function manualClock(start = Date.parse("2026-11-20T12:00:00Z")): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  config: Config;
  close(): Promise<void>;
}

/**
 * Behaviour tests post many similar, short comments quickly from few accounts: rate limits,
 * duplicate checks, suspect words and score holds are off unless a test turns them on
 * (the moderation tests do).
 */
export const RELAXED_FOR_TESTS = {
  rateLimits: { enabled: false },
  duplicates: { exactWindowMinutes: 0, nearWindowHours: 0, spamAccounts: 1000 },
  // The real model still scores every comment; only the thresholds are out of reach.
  thresholds: { toxicity: 1, insult: 1, identityAttack: 1, threat: 1, profanity: 1, spam: 1 },
  suspectWords: [],
};

/**
 * Suites sign up dozens of accounts from one address (127.0.0.1) within seconds; the account
 * limits have their own tests (src/accounts/limits.test.ts), which pass `accountLimits`.
 */
export const RELAXED_ACCOUNT_LIMITS = {
  loginFailuresPerAddress: 100,
  loginAttemptsPerAccount: 100,
  signInsPerAccountPerHour: 1000,
  signupsPerAddressPerHour: 10_000,
  signupsPerDomainPerHour: 100_000,
  accountMailsPerAddressPerHour: 100,
  storiesPerAddressPerHour: 100_000,
};

/** A fresh app on a fresh database, with `RELAXED_FOR_TESTS` unless `moderation` is given (then it patches the defaults). */
export async function testApp(
  dialect: Dialect,
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    moderation?: Record<string, unknown>;
    /** The account limits to run with (the product's defaults: `{}`); `RELAXED_ACCOUNT_LIMITS` unless given. */
    accountLimits?: Record<string, number>;
    scorer?: Scorer;
    /** Receives the app's log lines (set LOG_LEVEL in `env` to see any). */
    logStream?: { write(line: string): void };
  } = {},
): Promise<TestApp> {
  const db = await freshDatabase(dialect);
  const config = loadConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: "silent",
    PUBLIC_URL: "http://parley.test",
    PARLEY_ALLOWED_ORIGINS: "https://news.example",
    PARLEY_PASSWORD_MEMORY_KIB: "1024",
    ...options.env,
  });
  const store = await openStore(config.databaseUrl, { poolSize: 4 });
  const app = await buildApp({ config, store, clock: options.clock, scorer: options.scorer, logStream: options.logStream });
  await app.ready();
  await changeModerationSettings(app.deps, DEFAULT_SITE_ID, options.moderation ?? RELAXED_FOR_TESTS);
  await changeAccountSettings(app.deps, DEFAULT_SITE_ID, { limits: options.accountLimits ?? RELAXED_ACCOUNT_LIMITS });
  return {
    app,
    store,
    config,
    async close() {
      await app.close();
      await store.close();
      await db.drop();
    },
  };
}

let accounts = 0;

/** Signs up a new account and returns its bearer token and id. */
export async function signup(app: FastifyInstance, name = "Test reader"): Promise<{ token: string; id: string }> {
  accounts += 1;
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/auth/signup",
    payload: {
      email: `reader${accounts}-${randomBytes(3).toString("hex")}@example.com`,
      password: "correct horse battery",
      displayName: name,
    },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ token: string; user: { id: string } }>();
  return { token: body.token, id: body.user.id };
}

export async function resolveStory(
  app: FastifyInstance,
  path = `/story-${randomBytes(4).toString("hex")}`,
): Promise<string> {
  const res = await app.inject({
    method: "GET",
    url: `/api/v1/stories/resolve?url=${encodeURIComponent(`https://news.example${path}`)}`,
  });
  if (res.statusCode !== 200) throw new Error(`resolve failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export interface PostedComment {
  id: string;
  status: string;
  replyCount: number;
  bodyHtml: string;
  body?: string;
  parentId: string | null;
}

export async function postComment(
  app: FastifyInstance,
  token: string,
  storyId: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: "POST",
    url: `/api/v1/stories/${storyId}/comments`,
    headers: { ...auth(token), ...headers },
    payload,
  });
}

export async function post(
  app: FastifyInstance,
  token: string,
  storyId: string,
  body: string,
  parentId?: string,
): Promise<PostedComment> {
  const res = await postComment(app, token, storyId, { body, ...(parentId ? { parentId } : {}) });
  if (res.statusCode !== 201) throw new Error(`post failed: ${res.statusCode} ${res.body}`);
  return res.json<{ comment: PostedComment }>().comment;
}
