import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DIALECTS, type TestApp, post, resolveStory, signup, testApp } from "../../test/helpers.js";

const METRICS_TOKEN = "a-metrics-scraping-token";

for (const { dialect, skip } of DIALECTS) {
  describe(`operations on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => (t = await testApp(dialect, { env: { PARLEY_METRICS_TOKEN: METRICS_TOKEN } })));
    after(() => t.close());

    it("answers health and readiness", async () => {
      assert.equal((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
      assert.equal((await t.app.inject({ method: "GET", url: "/readyz" })).statusCode, 200);
    });

    it("exports request durations by route and comments posted by status", async () => {
      const { token } = await signup(t.app);
      await post(t.app, token, await resolveStory(t.app), "counted");
      const text = (await t.app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body;
      assert.match(
        text,
        /parley_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/stories\/:id\/comments",status="201"\} 1/,
      );
      assert.match(text, /parley_comments_posted_total\{status="published"\} 1/);
    });

    it("generates the OpenAPI document from the route schemas and serves /docs", async () => {
      const spec = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
      assert.equal(spec.openapi.startsWith("3."), true);
      for (const path of [
        "/api/v1/auth/signup",
        "/api/v1/stories/{id}/comments",
        "/api/v1/comments/{id}/replies",
        "/api/v1/stories/resolve",
      ]) {
        assert.ok(spec.paths[path], `missing ${path}`);
      }
      assert.ok(spec.paths["/api/v1/stories/{id}/comments"].post.requestBody);
      const docs = await t.app.inject({ method: "GET", url: "/docs" });
      assert.ok([200, 302].includes(docs.statusCode));
    });

    it("uses one error shape for unknown routes, bad JSON and oversized bodies", async () => {
      const missing = await t.app.inject({ method: "GET", url: "/api/v1/nothing-here" });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, "NOT_FOUND");
      const { token } = await signup(t.app);
      const huge = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        payload: JSON.stringify({ email: "a@b.c", password: "x".repeat(300_000) }),
      });
      assert.equal(huge.statusCode, 413);
      assert.equal(huge.json().error.code, "PAYLOAD_TOO_LARGE");
    });

    it("answers CORS preflights for allowed origins only", async () => {
      const preflight = (origin: string) =>
        t.app.inject({
          method: "OPTIONS",
          url: "/api/v1/stories/resolve",
          headers: { origin, "access-control-request-method": "GET" },
        });
      assert.equal(
        (await preflight("https://news.example")).headers["access-control-allow-origin"],
        "https://news.example",
      );
      assert.equal((await preflight("https://evil.example")).headers["access-control-allow-origin"], undefined);
    });

    it("serves a deterministic SVG avatar", async () => {
      const a = await t.app.inject({ method: "GET", url: "/avatars/abc123.svg" });
      assert.equal(a.statusCode, 200);
      assert.equal(a.headers["content-type"], "image/svg+xml");
      assert.equal(a.body, (await t.app.inject({ method: "GET", url: "/avatars/abc123.svg" })).body);
      assert.equal((await t.app.inject({ method: "GET", url: "/avatars/..%2Fetc.svg" })).statusCode, 400);
    });
  });
}
