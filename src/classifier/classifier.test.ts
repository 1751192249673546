import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { DEFAULT_HOLD_THRESHOLDS, DEFAULT_THRESHOLDS, MODEL_HEADER_URL, MODEL_WEIGHTS_URL, loadLocalScorer, scoreSync } from "./index.js";
import { SCORE_CATEGORIES, type ScoreCategory } from "./types.js";
import { LinearModel, type ModelHeader } from "./model.js";
import { EVERY_RULE, matchPatterns } from "./patterns.js";
import { analyse } from "./normalize.js";
import { SHARED_THREAD_SKIP, sampleThread, sharedSampleThread } from "../../test/shared.js";

const flagged = (text: string): ScoreCategory[] => {
  const { scores } = scoreSync(text);
  return SCORE_CATEGORIES.filter((c) => scores[c] >= DEFAULT_THRESHOLDS[c]);
};
/** Each sample thread with the numbers of its comments the scorer alone must hold (the rest are held by rules). */
const SAMPLES = [
  { name: "the repository's sample thread", comments: sampleThread().comments, abusive: [7, 8, 9, 10], skip: false as const },
  { name: "the research sample thread", comments: sharedSampleThread()?.comments ?? [], abusive: [11, 12, 13, 14, 17], skip: SHARED_THREAD_SKIP },
];

describe("local scorer", () => {
  it("returns every category between 0 and 1 with its name and version", () => {
    const scorer = loadLocalScorer();
    const result = scorer.score("The bus lanes open in March.");
    assert.ok(!(result instanceof Promise));
    for (const c of SCORE_CATEGORIES) assert.ok(result.scores[c] >= 0 && result.scores[c] <= 1, c);
    assert.equal(result.scorer.name, scorer.name);
    assert.match(result.scorer.version, /^\d+\.\d+\.\d+\+[0-9a-f]{8}$/);
  });

  it("holds insults aimed at another reader", () => {
    for (const text of ["You are a complete idiot.", "Only a moron like you would write this.", "Shut up, you pathetic clown."]) {
      const { scores } = scoreSync(text);
      assert.ok(scores.toxicity >= DEFAULT_THRESHOLDS.toxicity || scores.insult >= DEFAULT_THRESHOLDS.insult, text);
    }
  });

  it("holds threats and attacks on a group", () => {
    assert.ok(flagged("Somebody should put a bullet in that mayor.").length > 0);
    assert.ok(flagged("Immigrants from that country are vermin, send them back.").includes("identityAttack"));
  });

  for (const sample of SAMPLES) {
    it(`publishes the polite comments of ${sample.name}`, { skip: sample.skip }, () => {
      const polite = sample.comments.filter((c) => c.expect === "published" && c.body.trim());
      assert.ok(polite.length >= 7);
      for (const c of polite) assert.deepEqual(flagged(c.body), [], `#${c.n}: ${c.body}`);
    });

    it(`holds the abusive comments of ${sample.name}`, { skip: sample.skip }, () => {
      for (const n of sample.abusive) {
        const c = sample.comments.find((x) => x.n === n)!;
        assert.ok(flagged(c.body).length > 0, `#${n}: ${c.body}`);
      }
    });
  }

  it("does not flag neutral mentions of identities", () => {
    for (const text of ["My neighbours are gay and they run the bakery.", "As a Jewish father I take this bus to work.", "Muslim and Christian volunteers cleaned the park."]) {
      assert.deepEqual(flagged(text), [], text);
    }
  });

  it("still scores insults written with spacing, leetspeak and look-alike letters", () => {
    const plain = scoreSync("you are a fucking moron").scores.toxicity;
    for (const text of ["you are a f u c k i n g m0r0n", "y0u are a fuuuucking moron", "yоu аre а fuсking mоrоn" /* Cyrillic о, а, с */]) {
      const { scores } = scoreSync(text);
      assert.ok(scores.toxicity >= DEFAULT_THRESHOLDS.toxicity, `${text}: ${scores.toxicity}`);
      assert.ok(Math.abs(scores.toxicity - plain) < 0.15, `${text}: ${scores.toxicity} vs ${plain}`);
    }
  });

  it("points spans at the offending words", () => {
    const text = "Thanks for the update. You are a stupid idiot though.";
    const { spans } = scoreSync(text);
    const toxic = spans.filter((s) => s.category === "toxicity" || s.category === "insult");
    assert.ok(toxic.length > 0);
    const covered = toxic.map((s) => text.slice(s.start, s.end)).join(" ");
    assert.match(covered, /idiot/);
    assert.doesNotMatch(covered, /Thanks|update/);
    for (const s of spans) assert.ok(s.start >= 0 && s.end <= text.length && s.start < s.end && s.weight > 0 && s.weight <= 1);
  });

  it("points profanity spans at the original characters of an evaded word", () => {
    const text = "this is sh!t and f u c k this";
    const words = scoreSync(text).spans.filter((s) => s.category === "profanity").map((s) => text.slice(s.start, s.end));
    assert.deepEqual(words, ["sh!t", "f u c k"]);
  });

  it("scores the same text the same way every time", () => {
    const text = "Exactly right, the council never checks its facts.";
    const first = scoreSync(text);
    scoreSync("You are an idiot.");
    assert.deepEqual(scoreSync(text), first);
  });

  it("handles empty, whitespace-only and huge texts", () => {
    for (const text of ["", "   \n\t", "👍👍", "a".repeat(100_000)]) {
      const { scores, spans } = scoreSync(text);
      for (const c of SCORE_CATEGORIES) assert.ok(Number.isFinite(scores[c]));
      assert.ok(Array.isArray(spans));
    }
  });

  it("ships a weights file of at most 5 MB, calibrated, with two lanes chosen by training", () => {
    assert.ok(statSync(MODEL_WEIGHTS_URL).size + statSync(MODEL_HEADER_URL).size <= 5 * 1024 * 1024);
    const header = JSON.parse(readFileSync(MODEL_HEADER_URL, "utf8")) as ModelHeader;
    assert.equal(header.calibration?.length, SCORE_CATEGORIES.length);
    // Rare categories (identity attacks, threats) may start their lane under 0.5: their
    // calibrated probabilities stay low (docs/CLASSIFIER.md); the common ones never do.
    for (const c of SCORE_CATEGORIES) {
      const floor = c === "identityAttack" || c === "threat" ? 0.02 : 0.5;
      assert.ok(DEFAULT_THRESHOLDS[c] >= floor && DEFAULT_THRESHOLDS[c] < 1, c);
      assert.ok(DEFAULT_HOLD_THRESHOLDS[c] >= DEFAULT_THRESHOLDS[c] && DEFAULT_HOLD_THRESHOLDS[c] < 1, c);
    }
  });

  it("flags link spam", () => {
    assert.ok(flagged("Earn $900 a day from home!!! Visit http://money.example now and subscribe to my channel").includes("spam"));
  });

  it("does not read short civil replies as spam", () => {
    for (const text of ["Thanks!", "This.", "hi", "Agreed.", "Well said", "Source?"]) assert.ok(!flagged(text).includes("spam"), text);
  });

  it("scores with cached words exactly as with the explicit training features", () => {
    const header = JSON.parse(readFileSync(MODEL_HEADER_URL, "utf8")) as ModelHeader;
    const model = new LinearModel(header, new Uint8Array(readFileSync(MODEL_WEIGHTS_URL)));
    const texts = [...SAMPLES.flatMap((t) => t.comments.map((c) => c.body)), "", "Visit http://x.example now!! EARN MONEY", "You are an idiot. ".repeat(20)];
    for (const text of [...texts, ...texts]) {
      const explicit = model.explicitProbabilities(text);
      const { scores } = model.score(text);
      SCORE_CATEGORIES.forEach((c, k) => {
        // A threat pattern, or a call to a link with more spam phrasing, lifts its category to the hold lane.
        const expected = explicit[k];
        const lifted = (c === "threat" || c === "spam") && scores[c] === header.holdThresholds?.[c] && scores[c] > expected;
        assert.ok(lifted || Math.abs(scores[c] - expected) < 1e-9, `${c}: ${text}`);
      });
    }
  });

  it("runs a pattern only when one of its keywords is present, with the same hits as running all", () => {
    for (const c of SAMPLES.flatMap((t) => t.comments)) {
      const joined = analyse(c.body).tokens.map((t) => t.text).join(" ");
      assert.deepEqual(matchPatterns(joined), matchPatterns(joined, EVERY_RULE), c.body);
    }
    assert.equal(matchPatterns("the bus lanes open in march").length, 0);
    assert.ok(matchPatterns("youre a complete idiot").some((h) => h.rule.id === "you-are-insult"));
  });
});
