import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "./config.js";

describe("configuration", () => {
  it("has working defaults", () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, "http://localhost:3000");
    assert.match(config.databaseUrl, /^sqlite:.*data\/parley\.db$/);
    assert.equal(config.editWindowSeconds, 600);
    assert.equal(config.maxCommentLength, 5000);
    assert.equal(config.dbStatementTimeoutMs, 10_000);
    assert.equal(loadConfig({ PARLEY_DB_STATEMENT_TIMEOUT_MS: "0" }).dbStatementTimeoutMs, 0, "0 turns the bound off");
  });

  it("reads allowed origins as origins", () => {
    const config = loadConfig({ PARLEY_ALLOWED_ORIGINS: "https://news.example/path, http://localhost:8080" });
    assert.deepEqual(config.allowedOrigins, ["https://news.example", "http://localhost:8080"]);
  });

  it("stops with a message naming the variable for each bad value", () => {
    const bad: Record<string, string> = {
      PORT: "eighty",
      DATABASE_URL: "mysql://x",
      PUBLIC_URL: "not a url",
      LOG_LEVEL: "loud",
      PARLEY_ALLOWED_ORIGINS: "ftp://x",
      PARLEY_EDIT_WINDOW_SECONDS: "-1",
      PARLEY_DEMO: "maybe",
      PARLEY_DB_STATEMENT_TIMEOUT_MS: "-5",
    };
    for (const [name, value] of Object.entries(bad)) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(name),
        name,
      );
    }
  });
});
