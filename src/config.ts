import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";

/** Everything Parley reads from the environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** PostgreSQL's statement_timeout for the app's pool (and a client-side bound a little longer); 0: none. */
  dbStatementTimeoutMs: number;
  publicUrl: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  allowedOrigins: string[];
  editWindowSeconds: number;
  maxCommentLength: number;
  sessionDays: number;
  demo: boolean;
  /**
   * Which reverse proxies' X-Forwarded-For to believe, as Fastify's `trustProxy`: false, a
   * number of hops (the client address is taken that many entries from the right), or the
   * proxies' addresses and CIDR ranges. `PARLEY_TRUST_PROXY=true` means one proxy.
   */
  trustProxy: false | number | string[];
  /** Compress HTML, JSON and scripts for clients that ask; off behind a proxy that compresses already. */
  compression: boolean;
  redisUrl: string | null;
  /** How long story events stay replayable for reconnecting readers. */
  eventRetentionHours: number;
  /** Live streams one IP address may hold open at once. */
  maxStreamsPerIp: number;
  /** Minutes between refits of the bridging model; 0 turns the schedule off. */
  bridgingRefitMinutes: number;
  /** Strict-Transport-Security max-age in seconds; 0 sends no HSTS header (set it once Parley is served over https). */
  hstsSeconds: number;
  /** HSTS covers subdomains too (only when every subdomain is served over https). */
  hstsIncludeSubdomains: boolean;
  /** A bearer token /metrics asks for on the main listener; null: /metrics is refused there. */
  metricsToken: string | null;
  /** A separate listener for /metrics only (no token), e.g. on 127.0.0.1 for a local Prometheus; 0: none. */
  metricsPort: number;
  metricsHost: string;
  /**
   * Processes serving this port (PARLEY_WORKERS; default: the machine's cores). 1: one process,
   * as before; more: a primary that starts that many workers sharing the port (node:cluster).
   */
  workers: number;
  /** Keys IP hashes and signed links; set the same value on every node. */
  secret: string;
  /** argon2id memory cost in KiB; OWASP's minimum (19 MiB) by default. */
  passwordMemoryKiB: number;
  /** Keys that may call POST /api/v1/analyze without an admin session. */
  analyzeApiKeys: string[];
  /** Outgoing mail (verification, password reset); null host: mail is logged as not sent. */
  smtp: SmtpConfig;
  /** OpenID Connect providers readers and moderators may sign in with. */
  oidcProviders: OidcProviderConfig[];
  /** The outbox worker (e-mails, webhooks, notifications); off on web-only nodes. */
  outbox: OutboxConfig;
  /**
   * Webhooks may target loopback, private and link-local addresses. Off by default: an admin's
   * webhook must not reach the machine's own services or the cloud metadata endpoint (SSRF).
   */
  webhookAllowPrivate: boolean;
}

export interface OutboxConfig {
  worker: boolean;
  pollMs: number;
  /** A claimed job comes back to the queue when its worker has not finished it by then. */
  leaseMs: number;
  maxAttempts: number;
  /** The first retry waits about this long; each further one twice as long (with jitter). */
  retryBaseMs: number;
  concurrency: number;
  /** When daily digests go out (hour of the day, UTC). */
  digestHourUtc: number;
}

export interface SmtpConfig {
  host: string | null;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export interface OidcProviderConfig {
  /** The path segment of /api/v1/auth/oidc/:provider/… and the label on the sign-in button. */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  label: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)(\/\d{1,3})?$/i;

function trustProxy(env: Env): Config["trustProxy"] {
  const raw = (env.PARLEY_TRUST_PROXY ?? "").trim();
  if (raw === "" || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return 1;
  if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 10) return Number(raw);
  const list = raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (list.length > 0 && list.every((entry) => ADDRESS.test(entry) && !/^\d+$/.test(entry))) return list;
  throw new ConfigError(
    `PARLEY_TRUST_PROXY must be false, true (one proxy), a number of proxies (1-10) or the proxies' addresses and ranges (e.g. 10.0.0.0/8,127.0.0.1), got "${raw}"`,
  );
}

function metricsToken(env: Env): string | null {
  const raw = env.PARLEY_METRICS_TOKEN;
  if (!raw) return null;
  if (raw.length < 16 || /\s/.test(raw)) throw new ConfigError("PARLEY_METRICS_TOKEN must be at least 16 characters, without spaces");
  return raw;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function origin(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must hold URLs like https://news.example, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${name} must use http or https, got "${raw}"`);
  }
  return url.origin;
}

function redisUrl(env: Env): string | null {
  const raw = env.REDIS_URL;
  if (!raw) return null;
  if (!/^rediss?:\/\//.test(raw)) throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got "${raw}"`);
  return raw;
}

function apiKeys(env: Env, name: string): string[] {
  const keys = (env[name] || "").split(",").map((s) => s.trim()).filter(Boolean);
  // The message never echoes a key: config errors end up in logs.
  if (keys.some((k) => k.length < 16 || !/^[\x21-\x7e]+$/.test(k))) {
    throw new ConfigError(`${name} must be comma-separated keys of at least 16 printable characters each, without spaces`);
  }
  return keys;
}

function smtp(env: Env): SmtpConfig {
  const secure = flag(env, "SMTP_SECURE", false);
  const from = env.MAIL_FROM || "Parley <no-reply@localhost>";
  if (!/@/.test(from) || /[\r\n]/.test(from)) throw new ConfigError("MAIL_FROM must be an address like Parley <no-reply@news.example>");
  return {
    host: env.SMTP_HOST || null,
    port: integer(env, "SMTP_PORT", secure ? 465 : 587, 1, 65535),
    secure,
    user: env.SMTP_USER || null,
    password: env.SMTP_PASSWORD || null,
    from,
  };
}

function oidcProviders(env: Env): OidcProviderConfig[] {
  const raw = env.PARLEY_OIDC_PROVIDERS;
  if (!raw) return [];
  const fail = (why: string) =>
    new ConfigError(`PARLEY_OIDC_PROVIDERS must be a JSON array of { name, issuer, clientId, clientSecret, label? }: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw fail("not valid JSON");
  }
  if (!Array.isArray(parsed)) throw fail("not an array");
  const names = new Set<string>();
  return parsed.map((entry: unknown, i) => {
    const p = (entry ?? {}) as Record<string, unknown>;
    const text = (key: string) => (typeof p[key] === "string" && p[key] ? (p[key] as string) : null);
    const name = text("name");
    if (!name || !/^[a-z0-9-]{1,40}$/.test(name)) throw fail(`entry ${i}: name must be 1-40 of a-z, 0-9, -`);
    if (names.has(name)) throw fail(`entry ${i}: name "${name}" appears twice`);
    names.add(name);
    const issuer = text("issuer");
    if (!issuer || !/^https?:\/\//.test(issuer)) throw fail(`entry ${i}: issuer must be an http(s) URL`);
    const clientId = text("clientId");
    const clientSecret = text("clientSecret");
    // The message never echoes the secret: config errors end up in logs.
    if (!clientId || !clientSecret) throw fail(`entry ${i}: clientId and clientSecret are required`);
    return { name, issuer, clientId, clientSecret, label: text("label") ?? name };
  });
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, "PORT", 3000, 0, 65535);
  const host = env.HOST || "0.0.0.0";
  const databaseUrl = env.DATABASE_URL || `sqlite:${resolve("data", "parley.db")}`;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, got "${databaseUrl}"`);
  }
  if (env.PARLEY_SECRET !== undefined && env.PARLEY_SECRET.length < 16) {
    throw new ConfigError("PARLEY_SECRET must be at least 16 characters long");
  }
  const publicUrl = origin("PUBLIC_URL", env.PUBLIC_URL || `http://localhost:${port || 3000}`);
  const logLevel = (env.LOG_LEVEL || "info") as Config["logLevel"];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${env.LOG_LEVEL}"`);
  }
  const allowedOrigins = (env.PARLEY_ALLOWED_ORIGINS || "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => origin("PARLEY_ALLOWED_ORIGINS", s));
  return {
    port,
    host,
    databaseUrl,
    dbStatementTimeoutMs: integer(env, "PARLEY_DB_STATEMENT_TIMEOUT_MS", 10_000, 0, 3_600_000),
    publicUrl,
    logLevel,
    allowedOrigins,
    editWindowSeconds: integer(env, "PARLEY_EDIT_WINDOW_SECONDS", 600, 0, 7 * 24 * 3600),
    maxCommentLength: integer(env, "PARLEY_MAX_COMMENT_LENGTH", 5000, 10, 100_000),
    sessionDays: integer(env, "PARLEY_SESSION_DAYS", 30, 1, 365),
    demo: flag(env, "PARLEY_DEMO", true),
    trustProxy: trustProxy(env),
    compression: flag(env, "PARLEY_COMPRESSION", true),
    redisUrl: redisUrl(env),
    eventRetentionHours: integer(env, "PARLEY_EVENT_RETENTION_HOURS", 24, 1, 24 * 30),
    maxStreamsPerIp: integer(env, "PARLEY_MAX_STREAMS_PER_IP", 50, 1, 1_000_000),
    bridgingRefitMinutes: integer(env, "PARLEY_BRIDGING_REFIT_MINUTES", 10, 0, 24 * 60),
    hstsSeconds: integer(env, "PARLEY_HSTS_SECONDS", 0, 0, 2 * 365 * 24 * 3600),
    hstsIncludeSubdomains: flag(env, "PARLEY_HSTS_INCLUDE_SUBDOMAINS", false),
    metricsToken: metricsToken(env),
    metricsPort: integer(env, "PARLEY_METRICS_PORT", 0, 0, 65535),
    metricsHost: env.PARLEY_METRICS_HOST || "127.0.0.1",
    workers: integer(env, "PARLEY_WORKERS", availableParallelism(), 1, 256),
    secret: env.PARLEY_SECRET || randomBytes(32).toString("hex"),
    passwordMemoryKiB: integer(env, "PARLEY_PASSWORD_MEMORY_KIB", 19456, 1024, 1048576),
    analyzeApiKeys: apiKeys(env, "PARLEY_ANALYZE_API_KEYS"),
    smtp: smtp(env),
    oidcProviders: oidcProviders(env),
    outbox: {
      worker: flag(env, "PARLEY_WORKER", true),
      pollMs: integer(env, "PARLEY_OUTBOX_POLL_MS", 1000, 10, 60_000),
      leaseMs: integer(env, "PARLEY_OUTBOX_LEASE_SECONDS", 120, 1, 3600) * 1000,
      maxAttempts: integer(env, "PARLEY_OUTBOX_MAX_ATTEMPTS", 10, 1, 100),
      retryBaseMs: integer(env, "PARLEY_OUTBOX_RETRY_BASE_MS", 30_000, 10, 3600_000),
      concurrency: integer(env, "PARLEY_OUTBOX_CONCURRENCY", 8, 1, 100),
      digestHourUtc: integer(env, "PARLEY_DIGEST_HOUR_UTC", 7, 0, 23),
    },
    webhookAllowPrivate: flag(env, "PARLEY_WEBHOOK_ALLOW_PRIVATE", false),
  };
}
