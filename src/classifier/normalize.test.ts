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
