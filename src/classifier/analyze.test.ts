import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { DIALECTS, type TestApp, auth, signup, testApp } from "../../test/helpers.js";
import { ConfigError, loadConfig } from "../config.js";
import { perspectiveScorer } from "./external/perspective.js";
import { resilientScorer } from "./external/resilient.js";
import { loadLocalScorer, scoreSentences, scoreSync } from "./index.js";

const KEY = "analyze-key-0123456789abcdef";
const OTHER_KEY = "second-key-ABCDEFGHIJKLMNOP";
const TEXT = "Thanks for the update on the bus lanes, it was really useful to read. You are a stupid idiot though, and everyone on this street knows it.";
const ALL = { TOXICITY: {}, SEVERE_TOXICITY: {}, IDENTITY_ATTACK: {}, INSULT: {}, PROFANITY: {}, THREAT: {} };

interface Analysis {
  attributeScores: Record<string, { summaryScore: { value: number; type: string }; spanScores?: Array<{ begin: number; end: number; score: { value: number; type: string } }> }>;
  languages: string[];
  clientToken?: string;
}

describe("config for the analyze endpoint", () => {
  it("reads comma-separated API keys and refuses short ones without echoing them", () => {
    assert.deepEqual(loadConfig({ PARLEY_ANALYZE_API_KEYS: ` ${KEY}, ${OTHER_KEY} ,` }).analyzeApiKeys, [KEY, OTHER_KEY]);
    assert.deepEqual(loadConfig({}).analyzeApiKeys, []);
    assert.throws(() => loadConfig({ PARLEY_ANALYZE_API_KEYS: `${KEY},tooshort123` }), (e: Error) => e instanceof ConfigError && !e.message.includes("tooshort123"));
    assert.throws(() => loadConfig({ PARLEY_ANALYZE_API_KEYS: "has a space in it but long" }), ConfigError);
  });
});

for (const { dialect, skip } of DIALECTS) {
  describe(`POST /api/v1/analyze (${dialect})`, { skip }, () => {
    let t: TestApp;
    let admin: string;
    let reader: string;
    before(async () => {
      t = await testApp(dialect, { env: { PARLEY_ANALYZE_API_KEYS: `${KEY},${OTHER_KEY}` } });
      reader = (await signup(t.app, "Reader")).token;
      const a = await signup(t.app, "Admin");
      await t.store.db.updateTable("users").set({ role: "admin" }).where("id", "=", a.id).execute();
      admin = a.token;
    });
    after(() => t?.close());

    const analyze = (payload: unknown, headers: Record<string, string> = {}, url = "/api/v1/analyze") =>
      t.app.inject({ method: "POST", url, headers, payload: payload as Record<string, unknown> });

    it("answers an admin in Perspective's response shape from the local model", async () => {
      const res = await analyze({ comment: { text: TEXT }, requestedAttributes: ALL, languages: ["en"], clientToken: "tok-1" }, auth(admin));
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<Analysis>();
      assert.deepEqual(Object.keys(body.attributeScores).sort(), Object.keys(ALL).sort());
      const local = scoreSync(TEXT).scores;
      assert.deepEqual(body.attributeScores.TOXICITY, { summaryScore: { value: local.toxicity, type: "PROBABILITY" } });
      assert.equal(body.attributeScores.INSULT.summaryScore.value, local.insult);
      assert.ok(body.attributeScores.TOXICITY.summaryScore.value > 0.9);
      assert.ok(body.attributeScores.SEVERE_TOXICITY.summaryScore.value <= body.attributeScores.TOXICITY.summaryScore.value);
      assert.deepEqual(body.languages, ["en"]);
      assert.equal(body.clientToken, "tok-1");
    });

    it("scores each sentence with spanAnnotations, in UTF-16 offsets", async () => {
      const res = await analyze({ comment: { text: TEXT, type: "PLAIN_TEXT" }, requestedAttributes: { TOXICITY: {} }, spanAnnotations: true }, { "x-api-key": KEY });
      assert.equal(res.statusCode, 200, res.body);
      const spans = res.json<Analysis>().attributeScores.TOXICITY.spanScores!;
      assert.equal(spans.length, 2);
      assert.equal(TEXT.slice(spans[0].begin, spans[0].end), "Thanks for the update on the bus lanes, it was really useful to read");
      assert.match(TEXT.slice(spans[1].begin, spans[1].end), /^You are a stupid idiot/);
      assert.ok(spans[0].score.value < 0.3 && spans[1].score.value > 0.9);
      assert.deepEqual(spans.map((s) => s.score.value), scoreSentences(TEXT).map((s) => s.scores.toxicity));
    });

    it("leaves out attributes under their scoreThreshold", async () => {
      const res = await analyze({ comment: { text: "The library opens at nine on Saturdays." }, requestedAttributes: { TOXICITY: { scoreThreshold: 0.5 }, THREAT: {} } }, { "x-api-key": OTHER_KEY });
      assert.deepEqual(Object.keys(res.json<Analysis>().attributeScores), ["THREAT"]);
    });

    it("takes the key in ?key= at Perspective's own path too", async () => {
      const res = await analyze({ comment: { text: "hello" }, requestedAttributes: { PROFANITY: {} } }, {}, `/v1alpha1/comments:analyze?key=${KEY}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json<Analysis>().attributeScores.PROFANITY.summaryScore.type, "PROBABILITY");
    });

    it("refuses callers who are neither admins nor key holders", async () => {
      const payload = { comment: { text: "hello" }, requestedAttributes: { TOXICITY: {} } };
      const anonymous = await analyze(payload);
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().error.code, "UNAUTHENTICATED");
      const commenter = await analyze(payload, auth(reader));
      assert.equal(commenter.statusCode, 403);
      assert.equal(commenter.json().error.code, "FORBIDDEN");
      for (const res of [await analyze(payload, { "x-api-key": `${KEY}x` }), await analyze(payload, auth(admin), `/api/v1/analyze?key=wrong-key-but-long-enough`)]) {
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.json(), { error: { code: "UNAUTHENTICATED", message: "The API key is not valid." } });
      }
    });

    it("reads Perspective's context.entries: the same reply scores differently after an insult and after a film quote", async () => {
      const reply = "You can go to hell.";
      const score = async (context?: object) => {
        const res = await analyze({ comment: { text: reply }, requestedAttributes: { TOXICITY: {} }, ...(context ? { context } : {}) }, { "x-api-key": KEY });
        assert.equal(res.statusCode, 200, res.body);
        return res.json<Analysis>().attributeScores.TOXICITY.summaryScore.value;
      };
      const alone = await score();
      const afterInsult = await score({ entries: [{ text: "You are a worthless idiot and a disgrace to this town." }] });
      const afterFilm = await score({ entries: [{ text: "What was the line the captain says in the film before the storm?" }] });
      assert.ok(afterInsult > afterFilm, `${afterInsult} after an insult, ${afterFilm} after a film question`);
      assert.equal(await score({ entries: [] }), alone);
      const bad = await analyze({ comment: { text: reply }, requestedAttributes: { TOXICITY: {} }, context: { entries: [{ text: 42 }] } }, { "x-api-key": KEY });
      assert.equal(bad.statusCode, 400);
    });

    it("answers a bad request shape with 400 in the one error shape", async () => {
      const bad: unknown[] = [
        { requestedAttributes: { TOXICITY: {} } },
        { comment: { text: "" }, requestedAttributes: { TOXICITY: {} } },
        { comment: { text: 42 }, requestedAttributes: { TOXICITY: {} } },
        { comment: { text: "hi" }, requestedAttributes: ["TOXICITY"] },
        { comment: { text: "hi" }, requestedAttributes: {} },
        { comment: { text: "hi" }, requestedAttributes: { FLIRTATION: {} } },
        { comment: { text: "hi" }, requestedAttributes: { TOXICITY: { scoreThreshold: 2 } } },
        { comment: { text: "bonjour" }, requestedAttributes: { TOXICITY: {} }, languages: ["fr"] },
        { comment: { text: "x".repeat(20_481) }, requestedAttributes: { TOXICITY: {} } },
      ];
      for (const payload of bad) {
        const res = await analyze(payload, auth(admin));
        assert.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80));
        const body = res.json<{ error: { code: string; message: string } }>();
        assert.equal(body.error.code, "VALIDATION_FAILED");
        assert.equal(typeof body.error.message, "string");
        assert.deepEqual(Object.keys(body), ["error"]);
      }
    });

    it("serves Parley's own Perspective adapter, so one Parley can score for another", async () => {
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      const { port } = t.app.server.address() as AddressInfo;
      const remote = perspectiveScorer({ baseUrl: `http://127.0.0.1:${port}`, path: "/api/v1/analyze", apiKey: KEY, timeoutMs: 2000 });
      const result = await resilientScorer(remote, loadLocalScorer(), { failOpen: false }).score(TEXT);
      assert.equal(result.unavailable, undefined);
      assert.equal(result.scorer.name, "perspective");
      assert.deepEqual(result.scores, scoreSync(TEXT).scores);
    });
  });
}
