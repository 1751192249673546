import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadLocalScorer, scoreSync } from "../index.js";
import { forgetSiteScorers, scorerForSite } from "../registry.js";
import { type Answer, type ContractServer, type RecordedRequest, contractServer } from "./contract-server.js";
import { openaiModerationScorer } from "./openai.js";
import { perspectiveScorer } from "./perspective.js";
import { CircuitBreaker, ScoreCache, resilientScorer } from "./resilient.js";

const local = loadLocalScorer();
const INSULT = "You are a complete idiot and everyone knows it.";

const moderationAnswer = (scores: Record<string, number>): Answer => ({
  body: {
    id: "modr-1",
    model: "omni-moderation-2024-09-26",
    results: [{ flagged: true, categories: {}, category_scores: { sexual: 0.01, violence: 0.99, ...scores } }],
  },
});

const perspectiveAnswer = (text: string): Answer => ({
  body: {
    attributeScores: {
      TOXICITY: { summaryScore: { value: 0.93, type: "PROBABILITY" }, spanScores: [{ begin: 0, end: text.length, score: { value: 0.93, type: "PROBABILITY" } }] },
      INSULT: { summaryScore: { value: 0.88, type: "PROBABILITY" }, spanScores: [{ begin: 0, end: 7, score: { value: 0.2, type: "PROBABILITY" } }] },
      IDENTITY_ATTACK: { summaryScore: { value: 0.05, type: "PROBABILITY" } },
      THREAT: { summaryScore: { value: 0.01, type: "PROBABILITY" } },
      PROFANITY: { summaryScore: { value: 0.12, type: "PROBABILITY" } },
    },
    languages: ["en"],
    detectedLanguages: ["en"],
  },
});

/** A clock the breaker and cache read; tests move it. */
function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("external scorers", () => {
  let server: ContractServer;
  before(async () => {
    server = await contractServer(() => ({ status: 500 }));
  });
  after(() => server.close());
  const reset = (answer: (r: RecordedRequest) => Answer) => {
    server.requests.length = 0;
    server.answer = answer;
  };

  it("sends the OpenAI moderation request and maps its categories, with profanity and spam from the local model", async () => {
    reset(() => moderationAnswer({ harassment: 0.91, "harassment/threatening": 0.2, hate: 0.3, "hate/threatening": 0.05 }));
    const scorer = openaiModerationScorer({ baseUrl: `${server.baseUrl}/`, apiKey: "sk-test-123", model: "omni-moderation-latest", timeoutMs: 800 });
    const result = await resilientScorer(scorer, local, { failOpen: true }).score(INSULT);
    assert.equal(server.requests.length, 1);
    const [req] = server.requests;
    assert.equal(req.method, "POST");
    assert.equal(req.url, "/v1/moderations");
    assert.equal(req.headers.authorization, "Bearer sk-test-123");
    assert.equal(req.headers["content-type"], "application/json");
    assert.deepEqual(req.body, { model: "omni-moderation-latest", input: INSULT });
    const expectedLocal = scoreSync(INSULT).scores;
    assert.deepEqual(result.scores, {
      toxicity: 0.91,
      insult: 0.91,
      identityAttack: 0.3,
      threat: 0.2,
      profanity: expectedLocal.profanity,
      spam: expectedLocal.spam,
    });
    assert.deepEqual(result.scorer, { name: "openai-moderation", version: "omni-moderation-2024-09-26" });
    assert.equal(result.unavailable, undefined);
  });

  it("accepts a base URL ending in /v1 or under a prefix, and sends no key or model when none is set", async () => {
    reset(() => moderationAnswer({ harassment: 0.1, hate: 0.1 }));
    await openaiModerationScorer({ baseUrl: `${server.baseUrl}/v1` }).score("hello");
    await openaiModerationScorer({ baseUrl: `${server.baseUrl}/proxy/openai` }).score("hello");
    assert.deepEqual(server.requests.map((r) => r.url), ["/v1/moderations", "/proxy/openai/v1/moderations"]);
    assert.equal(server.requests[0].headers.authorization, undefined);
    assert.deepEqual(server.requests[0].body, { input: "hello" });
  });

  it("sends the Perspective request with the key in the query and keeps its spans", async () => {
    reset((r) => perspectiveAnswer((r.body as { comment: { text: string } }).comment.text));
    const scorer = perspectiveScorer({ baseUrl: server.baseUrl, apiKey: "AIza-key/with+chars", timeoutMs: 800 });
    const result = await resilientScorer(scorer, local, { failOpen: true }).score(INSULT, { language: "en" });
    const [req] = server.requests;
    assert.equal(req.method, "POST");
    assert.equal(req.url, "/v1alpha1/comments:analyze?key=AIza-key%2Fwith%2Bchars");
    assert.deepEqual(req.body, {
      comment: { text: INSULT, type: "PLAIN_TEXT" },
      languages: ["en"],
      requestedAttributes: { TOXICITY: {}, INSULT: {}, IDENTITY_ATTACK: {}, THREAT: {}, PROFANITY: {} },
      spanAnnotations: true,
      doNotStore: true,
    });
    assert.deepEqual(result.scores, { toxicity: 0.93, insult: 0.88, identityAttack: 0.05, threat: 0.01, profanity: 0.12, spam: scoreSync(INSULT).scores.spam });
    // Perspective's toxicity span is kept; its low insult span is not; no local toxicity spans leak in.
    assert.deepEqual(result.spans.filter((s) => s.category !== "spam"), [{ category: "toxicity", start: 0, end: INSULT.length, weight: 0.93 }]);
  });

  it("falls back to the local model when the service is too slow (fail-open)", async () => {
    reset(() => ({ ...moderationAnswer({ harassment: 0.99, hate: 0.99 }), delayMs: 1500 }));
    const scorer = resilientScorer(openaiModerationScorer({ baseUrl: server.baseUrl, timeoutMs: 100 }), local, { failOpen: true });
    const started = performance.now();
    const result = await scorer.score(INSULT);
    assert.ok(performance.now() - started < 1000, "the deadline cut the call short");
    assert.deepEqual(result, scoreSync(INSULT));
    assert.equal(scorer.stats.failures, 1);
  });

  it("marks the result unavailable when the service fails and the site is fail-closed", async () => {
    reset(() => ({ status: 503 }));
    const scorer = resilientScorer(perspectiveScorer({ baseUrl: server.baseUrl, timeoutMs: 800 }), local, { failOpen: false });
    const result = await scorer.score("The library opens at nine.");
    assert.equal(result.unavailable?.code, "SCORER_UNAVAILABLE");
    assert.match(result.unavailable!.message, /perspective.*503/);
    assert.deepEqual(result.scores, scoreSync("The library opens at nine.").scores);
  });

  it("treats an answer that breaks the contract as a failure", async () => {
    for (const answer of [{ raw: "<html>oops</html>" }, { body: { results: [] } }, { body: { results: [{ category_scores: { harassment: "high" } }] } }]) {
      reset(() => answer);
      const result = await resilientScorer(openaiModerationScorer({ baseUrl: server.baseUrl }), local, { failOpen: false, cache: false }).score("hi");
      assert.equal(result.unavailable?.code, "SCORER_UNAVAILABLE", JSON.stringify(answer));
    }
  });

  it("opens the circuit after repeated failures, then lets one trial through after the cooldown", async () => {
    reset(() => ({ status: 500 }));
    const time = clock();
    const breaker = new CircuitBreaker({ failures: 3, cooldownMs: 10_000, now: time.now });
    const scorer = resilientScorer(openaiModerationScorer({ baseUrl: server.baseUrl }), local, { failOpen: true, breaker, cache: false });
    for (let i = 0; i < 3; i++) await scorer.score(`comment ${i}`);
    assert.equal(breaker.state, "open");
    assert.equal(server.requests.length, 3);
    await scorer.score("comment while open");
    assert.equal(server.requests.length, 3, "no call while the circuit is open");
    assert.equal(scorer.stats.skipped, 1);

    time.advance(10_000);
    assert.equal(breaker.state, "half-open");
    await scorer.score("trial that fails");
    assert.equal(server.requests.length, 4);
    assert.equal(breaker.state, "open", "a failed trial reopens the circuit");

    time.advance(10_000);
    reset(() => moderationAnswer({ harassment: 0.7, hate: 0.1 }));
    const result = await scorer.score("trial that works");
    assert.equal(breaker.state, "closed");
    assert.equal(result.scores.insult, 0.7);
  });

  it("lets only one trial through while half-open", async () => {
    reset(() => ({ ...moderationAnswer({ harassment: 0.1, hate: 0.1 }), delayMs: 50 }));
    const time = clock();
    const breaker = new CircuitBreaker({ failures: 1, cooldownMs: 1000, now: time.now });
    breaker.failure();
    time.advance(1000);
    const scorer = resilientScorer(openaiModerationScorer({ baseUrl: server.baseUrl }), local, { failOpen: true, breaker, cache: false });
    await Promise.all([scorer.score("a"), scorer.score("b"), scorer.score("c")]);
    assert.equal(server.requests.length, 1);
    assert.equal(breaker.state, "closed");
  });

  it("does not open the circuit for texts the service refuses (400)", async () => {
    reset(() => ({ status: 400, body: { error: { code: 400, message: "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE" } } }));
    const breaker = new CircuitBreaker({ failures: 2 });
    const scorer = resilientScorer(perspectiveScorer({ baseUrl: server.baseUrl }), local, { failOpen: true, breaker, cache: false });
    for (let i = 0; i < 4; i++) await scorer.score(`texte ${i}`);
    assert.equal(breaker.state, "closed");
    assert.equal(server.requests.length, 4);
  });

  it("caches scores by content hash and never caches a failure", async () => {
    reset(() => ({ status: 500 }));
    const time = clock();
    const cache = new ScoreCache({ maxEntries: 2, ttlMs: 60_000, now: time.now });
    const scorer = resilientScorer(openaiModerationScorer({ baseUrl: server.baseUrl }), local, { failOpen: true, cache });
    await scorer.score("same text");
    reset(() => moderationAnswer({ harassment: 0.4, hate: 0.1 }));
    const first = await scorer.score("same text");
    const second = await scorer.score("same text");
    assert.equal(server.requests.length, 1, "the failed call was not cached; the good answer was");
    assert.deepEqual(second, first);
    assert.equal(scorer.stats.cacheHits, 1);
    second.scores.insult = 1;
    assert.equal((await scorer.score("same text")).scores.insult, 0.4, "callers get copies");

    await scorer.score("other text");
    await scorer.score("third text");
    assert.equal(cache.size, 2);
    await scorer.score("same text");
    assert.equal(server.requests.length, 4, "the oldest entry was evicted");
    time.advance(60_001);
    await scorer.score("same text");
    assert.equal(server.requests.length, 5, "expired entries are asked again");
  });

  it("gives each site the scorer its settings name and keeps it across comments", async () => {
    forgetSiteScorers();
    const deps = { scorer: local, log: { warn: () => undefined } } as unknown as Parameters<typeof scorerForSite>[0];
    assert.equal(scorerForSite(deps, "s1", {}), local);
    assert.equal(scorerForSite(deps, "s1", { scorer: { kind: "local" } }), local);
    const setting = { kind: "openai" as const, baseUrl: server.baseUrl, timeoutMs: 300, failOpen: false };
    const a = scorerForSite(deps, "s1", { scorer: setting });
    assert.notEqual(a, local);
    assert.equal(scorerForSite(deps, "s1", { scorer: { ...setting } }), a);
    assert.notEqual(scorerForSite(deps, "s1", { scorer: { ...setting, timeoutMs: 400 } }), a);
    assert.notEqual(scorerForSite(deps, "s2", { scorer: setting }), scorerForSite(deps, "s1", { scorer: setting }));
    reset(() => ({ status: 502 }));
    const result = await scorerForSite(deps, "s3", { scorer: { kind: "perspective", baseUrl: server.baseUrl } }).score("hello there");
    assert.equal(result.unavailable, undefined, "fail-open unless the site says otherwise");
    assert.equal(server.requests[0].url, "/v1alpha1/comments:analyze");
    forgetSiteScorers();
  });
});
