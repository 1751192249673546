import assert from "node:assert/strict";
import { it } from "node:test";
import type { PresentedComment } from "../comments/presenter.js";
import type { PresentedStory } from "../stories/presenter.js";
import type { Comment, Story } from "../shared/thread.js";
import { CATALOGS } from "../shared/messages/index.js";

// Compile-time contract: what the server presents must fit what the widget reads.
// If a presenter changes shape, the typecheck of this file fails before any reader sees it.
const comment = (c: PresentedComment): Comment => c;
const story = (s: PresentedStory): Story => s;

it("keeps every message catalog complete, with the same placeholders as English", () => {
  void [comment, story];
  const { en, ...others } = CATALOGS;
  const holes = (v: unknown) => JSON.stringify(v).match(/\{\w+\}/g)?.sort() ?? [];
  for (const [lang, catalog] of Object.entries(others)) {
    assert.deepEqual(Object.keys(catalog).sort(), Object.keys(en).sort(), lang);
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      assert.deepEqual(holes(catalog[key]), holes(en[key]), `${lang}.${key}`);
      assert.notEqual(JSON.stringify(catalog[key]).length, 2, `${lang}.${key} is empty`);
    }
  }
});
