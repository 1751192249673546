import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { DIALECTS, type TestApp, auth, manualClock, resolveStory, signup, testApp } from "../../../test/helpers.js";

/** Profanities and slurs from the default (obscenity) list, as an audit would pick them. */
const WORDS = [
  "fuck",
  "shit",
  "cunt",
  "bitch",
  "whore",
  "nigger",
  "faggot",
  "slut",
  "bastard",
  "twat",
  "asshole",
  "retard",
  "pussy",
  "wank",
  "dick",
  "cock",
];
const INVISIBLE = [
  "\u200b",
  "\u200d",
  "\u2060",
  "\u00ad",
  "\u034f",
  "\u2061",
  "\u2062",
  "\u2063",
  "\ufe00",
  "\ufe0f",
  "\u{e0041}",
  "\u3164",
  "\u17b4",
  "\u{1d173}",
];
const CYRILLIC: Record<string, string> = {
  a: "а",
  c: "с",
  e: "е",
  o: "о",
  p: "р",
  x: "х",
  y: "у",
  i: "і",
  s: "ѕ",
  h: "һ",
};
const LEET: Record<string, string> = { a: "4", e: "3", i: "1", o: "0", s: "5", t: "7", g: "9", u: "v" };
const COMBINING = ["\u0332", "\u0336", "\u0301", "\u0308"];

const letters = (w: string) => [...w];
const between = (w: string, sep: string) => letters(w).join(sep);
/** Each evasion seen in the audit, as a function of the word and a random pick. */
const EVASIONS: Record<string, (w: string, r: number) => string> = {
  invisible: (w, r) => between(w, INVISIBLE[r % INVISIBLE.length]),
  invisibleOnce: (w, r) =>
    w.slice(0, 1 + (r % (w.length - 1))) + INVISIBLE[r % INVISIBLE.length] + w.slice(1 + (r % (w.length - 1))),
  cyrillic: (w) =>
    letters(w)
      .map((c) => CYRILLIC[c] ?? c)
      .join(""),
  fullwidth: (w) => w.replace(/[a-z]/g, (c) => String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41)),
  mathBold: (w) => w.replace(/[a-z]/g, (c) => String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0x1d41a)),
  spaced: (w) => between(w, " "),
  dotted: (w) => between(w, "."),
  hyphens: (w) => between(w, "-"),
  commas: (w, r) => between(w, r % 2 ? "," : ", "),
  slashes: (w) => between(w, "/"),
  starInside: (w) => w[0] + "*".repeat(Math.max(1, w.length - 3)) + w.slice(-2),
  starVowel: (w) => w.replace(/[aeiou](?!$)/, "*"),
  spaceSplit: (w, r) => `${w.slice(0, 2 + (r % (w.length - 3)))} ${w.slice(2 + (r % (w.length - 3)))}`,
  combining: (w, r) =>
    letters(w)
      .map((c) => c + COMBINING[r % COMBINING.length])
      .join(""),
  softHyphen: (w) => between(w, "\u00ad"),
  leet: (w) =>
    letters(w)
      .map((c) => LEET[c] ?? c)
      .join(""),
  leetSome: (w) => w.replace(/[aeiou]/, (c) => LEET[c] ?? c),
  repeated: (w, r) =>
    letters(w)
      .map((c, k) => (k === r % w.length ? c.repeat(4) : c))
      .join(""),
  compound: (w, r) => w + ["face", "wit", "head", "bag"][r % 4],
  upper: (w) => w.toUpperCase(),
  mixed: (w) =>
    letters(w)
      .map((c, k) => (k % 2 ? c.toUpperCase() : c))
      .join(""),
};
const NAMES = Object.keys(EVASIONS);
const CARRIERS = [
  "I read the council report about {w} last night.",
  "{w} is what my neighbour said about the new bus lane.",
  "The mayor keeps talking, {w}, and nothing changes.",
];

/** One variant: a word, one or two evasions on top of each other, in a civil sentence. */
const variant = fc
  .record({
    word: fc.constantFrom(...WORDS),
    first: fc.constantFrom(...NAMES),
    second: fc.option(fc.constantFrom("invisible", "cyrillic", "upper", "leetSome", "combining", "fullwidth"), {
      nil: undefined,
    }),
    r: fc.nat(1000),
    carrier: fc.constantFrom(...CARRIERS),
  })
  .map(({ word, first, second, r, carrier }) => {
    let w = EVASIONS[first](word, r);
    // Letter-level evasions compose with a spelling that still has letters in place.
    if (second && !["fullwidth", "mathBold", "cyrillic"].includes(first))
      w = second === "upper" ? w.toUpperCase() : EVASIONS[second](w, r);
    return { word, evasion: second ? `${first}+${second}` : first, body: carrier.replace("{w}", w) };
  });

const RUNS = 200;
const GOAL = 0.98;

for (const { dialect, skip } of DIALECTS) {
  describe(`evasive spellings of listed words through the whole pipeline on ${dialect}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    // Every phase at its defaults, from fresh accounts as the audit posted.
    before(async () => (t = await testApp(dialect, { clock, moderation: {} })));
    after(() => t.close());

    it(`withholds at least ${GOAL * 100}% of ${RUNS} generated variants`, async (ctx) => {
      const cases = fc.sample(variant, { numRuns: RUNS, seed: 20261207 });
      const published: string[] = [];
      let ms = 0;
      for (const [k, c] of cases.entries()) {
        // A fresh account on a fresh story, so that neither the duplicate nor the copy rules
        // withhold a variant for resembling the one before.
        const { token } = await signup(t.app, `Auditor ${k}`);
        const storyId = await resolveStory(t.app);
        clock.advance(6_000);
        const t0 = performance.now();
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/stories/${storyId}/comments`,
          headers: auth(token),
          payload: { body: c.body },
        });
        ms += performance.now() - t0;
        assert.ok([201, 400, 422].includes(res.statusCode), `${res.statusCode} ${res.body}`);
        if (res.statusCode === 201 && res.json().comment.status === "published")
          published.push(`${c.evasion} ${c.word}: ${JSON.stringify(c.body)}`);
      }
      const withheld = 1 - published.length / cases.length;
      ctx.diagnostic(
        `withheld ${(withheld * 100).toFixed(1)}% of ${cases.length}; ${(ms / cases.length).toFixed(1)} ms per comment through the pipeline`,
      );
      for (const p of published) ctx.diagnostic(`published: ${p}`);
      assert.ok(withheld >= GOAL, `withheld ${(withheld * 100).toFixed(1)}%:\n${published.join("\n")}`);
    });

    it("publishes the civil carriers and words that only look like listed ones", async () => {
      const civil = [
        ...CARRIERS.map((c) => c.replace("{w}", "parking")),
        "Scunthorpe's assassin ordered a cocktail in Essex.",
        "The pen is mightier than the sword, says the mayor's class assessment.",
        "Says who? The study was paid for by the authority itself.",
        "As the U.S. hit a record heat, the fire retardant worked.",
      ];
      for (const [k, body] of civil.entries()) {
        clock.advance(6_000);
        const { token } = await signup(t.app, `Civil ${k}`);
        const storyId = await resolveStory(t.app);
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/stories/${storyId}/comments`,
          headers: auth(token),
          payload: { body },
        });
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(res.json().comment.status, "published", `${body} ${JSON.stringify(res.json().comment)}`);
      }
    });
  });
}
