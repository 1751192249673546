import { randomBytes } from "node:crypto";
import { resolve } from "node:path";

/** Everything Parley reads from the environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  publicUrl: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  allowedOrigins: string[];
  editWindowSeconds: number;
  maxCommentLength: number;
  sessionDays: number;
  demo: boolean;
  trustProxy: boolean;
  redisUrl: string | null;
  /** Keys IP hashes and signed links; set the same value on every node. */
  secret: string;
  /** argon2id memory cost in KiB; OWASP's minimum (19 MiB) by default. */
  passwordMemoryKiB: number;
  /** Keys that may call POST /api/v1/analyze without an admin session. */
  analyzeApiKeys: string[];
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
    publicUrl,
    logLevel,
    allowedOrigins,
    editWindowSeconds: integer(env, "PARLEY_EDIT_WINDOW_SECONDS", 600, 0, 7 * 24 * 3600),
    maxCommentLength: integer(env, "PARLEY_MAX_COMMENT_LENGTH", 5000, 10, 100_000),
    sessionDays: integer(env, "PARLEY_SESSION_DAYS", 30, 1, 365),
    demo: flag(env, "PARLEY_DEMO", true),
    trustProxy: flag(env, "PARLEY_TRUST_PROXY", false),
    redisUrl: redisUrl(env),
    secret: env.PARLEY_SECRET || randomBytes(32).toString("hex"),
    passwordMemoryKiB: integer(env, "PARLEY_PASSWORD_MEMORY_KIB", 19456, 1024, 1048576),
    analyzeApiKeys: apiKeys(env, "PARLEY_ANALYZE_API_KEYS"),
  };
}
