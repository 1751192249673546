import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupHostility } from "./group-hostility.js";
import { DEFAULT_HOLD_THRESHOLDS, scoreSync } from "./index.js";

describe("hostility toward a group in plain words", () => {
  it("holds a first person's hate of a group and degrading predicates about one", () => {
    for (const text of [
      "I really can't stand trans people like you.",
      "I have no compassion at all for any woman like you.",
      "I want to end every gay person's life.",
      "Immigrants belong in a zoo.",
      "Muslims like you deserve to die.",
    ]) {
      assert.equal(groupHostility(text), true, text);
      assert.ok(scoreSync(text).scores.identityAttack >= DEFAULT_HOLD_THRESHOLDS.identityAttack, text);
    }
  });

  it("leaves out quotes, denials, individuals and civil mentions", () => {
    for (const text of [
      'If you say "I hate women", then you are a bigot!',
      "I never said that Muslims are scum.",
      "I hate that man and his parking.",
      "I hate it when people from Norway are blamed for the weather.",
      "As a Muslim who takes this bus every day, I am glad it stays.",
      "Gay couples and families with strollers use this route too.",
    ])
      assert.equal(groupHostility(text), false, text);
  });
});
