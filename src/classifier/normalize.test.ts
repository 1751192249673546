import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { analyse } from "./normalize.js";
import { rocAuc } from "./train/metrics.js";

const words = (text: string) => analyse(text).tokens.map((t) => t.text);

describe("normaliser", () => {
  it("folds case, accents, full-width and look-alike letters", () => {
    assert.deepEqual(words("Décision ＢＵＳ ѕtор"), ["decision", "bus", "stop"]);
  });

  it("resolves leetspeak inside words but keeps numbers", () => {
    assert.deepEqual(words("m0r0n sh!t @sshole 2019 $5000"), ["moron", "shit", "asshole", "0000", "0000"]);
  });

  it("joins spaced-out letters and squeezes stretched ones", () => {
    assert.deepEqual(words("you are a f u c k i n g fooooool"), ["you", "are", "a", "fucking", "fool"]);
  });

  it("turns links into one placeholder token", () => {
    const a = analyse("see http://cash.example/join now");
    assert.deepEqual(a.tokens.map((t) => t.text), ["see", "__url__", "now"]);
    assert.equal(a.urls, 1);
    const bare = analyse("visit gofundme.com/grwmps or Shop.Example.net today. The end.");
    assert.deepEqual(bare.tokens.map((t) => t.text), ["visit", "__url__", "or", "__url__", "today", "the", "end"]);
    assert.equal(bare.urls, 2);
  });

  it("gives one id per distinct word in a comment, also after the intern table fills up", () => {
    // Consonants with an "e" after each: distinct words that normalise to themselves.
    const word = (k: number) => [...k.toString(20)].map((d) => `${"bcdfghjklmnpqrstvwxz"[parseInt(d, 20)]}e`).join("");
    // 150,000 distinct words over 1,500 comments: more than the intern table holds.
    for (let c = 0; c < 1500; c++) {
      const words = Array.from({ length: 100 }, (_, k) => word(c * 100 + k));
      const tokens = analyse(`${words.join(" ")} ${words[0]} ${words[1]}`).tokens;
      assert.deepEqual(tokens.slice(0, 100).map((t) => t.text), words);
      const byId = new Map<number, string>();
      for (const t of tokens) {
        assert.ok(t.id >= 0);
        assert.equal(byId.get(t.id) ?? t.text, t.text);
        byId.set(t.id, t.text);
      }
    }
    // One comment with more distinct words than the table holds: later ones are not interned.
    const huge = analyse(Array.from({ length: 140_000 }, (_, k) => word(k)).join(" ")).tokens;
    const seen = new Map<number, string>();
    for (const t of huge) {
      if (t.id >= 0) assert.ok(!seen.has(t.id));
      seen.set(t.id, t.text);
    }
    assert.ok(huge.some((t) => t.id === -1));
  });

  it("keeps every token's offsets inside the original text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        let prev = 0;
        for (const t of analyse(text).tokens) {
          assert.ok(t.start >= prev && t.start < t.end && t.end <= text.length);
          prev = t.end;
        }
      }),
    );
  });
});

describe("ROC-AUC", () => {
  it("is 1 for a perfect ranking, 0.5 for ties and NaN with one class", () => {
    assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
    assert.equal(rocAuc([0.5, 0.5], [0, 1]), 0.5);
    assert.ok(Number.isNaN(rocAuc([0.1, 0.2], [1, 1])));
  });
});
