import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_MODERATION } from "../moderation/settings.js";
import type { StoryRow } from "../store/schema.js";
import { manualClock } from "../../test/helpers.js";
import { storyPolicy } from "./resolve.js";
import { inWindow, isTimeZone, localTime } from "./schedule.js";
import { normaliseSection } from "./schema.js";

const at = (iso: string) => Date.parse(iso);
const night = { days: [5, 6], from: "22:00", to: "06:00", timeZone: "Europe/Berlin" };

describe("pre-moderation windows in a time zone", () => {
  it("reads weekday and time where the newsroom is, not on the server", () => {
    // Friday 20 November 2026, 22:30 UTC is Friday 23:30 in Berlin and Friday 17:30 in New York.
    assert.deepEqual(localTime(at("2026-11-20T22:30:00Z"), "Europe/Berlin"), { day: 5, minutes: 23 * 60 + 30 });
    assert.deepEqual(localTime(at("2026-11-20T22:30:00Z"), "America/New_York"), { day: 5, minutes: 17 * 60 + 30 });
  });

  it("holds a night window past midnight and belongs to the day it starts on", () => {
    assert.equal(inWindow(night, at("2026-11-20T20:59:00Z")), false, "Friday 21:59 Berlin");
    assert.equal(inWindow(night, at("2026-11-20T21:00:00Z")), true, "Friday 22:00 Berlin");
    assert.equal(inWindow(night, at("2026-11-21T04:59:00Z")), true, "Saturday 05:59, Friday's night");
    assert.equal(inWindow(night, at("2026-11-21T05:00:00Z")), false, "Saturday 06:00");
    assert.equal(inWindow(night, at("2026-11-22T04:00:00Z")), true, "Sunday 05:00, Saturday's night");
    assert.equal(inWindow(night, at("2026-11-23T04:00:00Z")), false, "Monday 05:00: Sunday has no window");
    const office = { days: [1, 2, 3, 4, 5], from: "09:00", to: "17:00", timeZone: "UTC" };
    assert.equal(inWindow(office, at("2026-11-20T16:59:00Z")), true);
    assert.equal(inWindow(office, at("2026-11-21T10:00:00Z")), false, "Saturday");
    assert.equal(inWindow({ ...office, from: "00:00", to: "00:00" }, at("2026-11-20T23:59:00Z")), true, "all of Friday");
  });

  it("follows the clocks across a daylight-saving change", () => {
    // Berlin moves from CET (UTC+1) to CEST (UTC+2) at 01:00 UTC on Sunday 29 March 2026.
    const saturdayNight = { days: [6], from: "22:00", to: "06:00", timeZone: "Europe/Berlin" };
    assert.equal(inWindow(saturdayNight, at("2026-03-28T21:00:00Z")), true, "22:00 CET");
    assert.equal(inWindow(saturdayNight, at("2026-03-29T03:59:00Z")), true, "05:59 CEST");
    assert.equal(inWindow(saturdayNight, at("2026-03-29T04:00:00Z")), false, "06:00 CEST: an hour earlier in UTC than in winter");
    // The same UTC instant a week earlier (winter time) was 05:00, inside.
    assert.equal(inWindow(saturdayNight, at("2026-03-22T04:00:00Z")), true, "05:00 CET");
    // And back in October (CEST → CET at 01:00 UTC on 25 October): 06:00 is 05:00 UTC again.
    assert.equal(inWindow(saturdayNight, at("2026-10-25T04:59:00Z")), true, "05:59 CET");
    assert.equal(inWindow(saturdayNight, at("2026-10-25T05:00:00Z")), false, "06:00 CET");
    // With a clock the test moves, an hour at a time, across the spring change.
    const clock = manualClock(at("2026-03-28T20:00:00Z"));
    const seen: boolean[] = [];
    for (let i = 0; i < 10; i++, clock.advance(3600_000)) seen.push(inWindow(saturdayNight, clock.now()));
    // 21:00 CET out; 22:00 … 23:00 CET, 00:00, 01:00 CET, 03:00 … 05:00 CEST in; 06:00 CEST out.
    assert.deepEqual(seen, [false, true, true, true, true, true, true, true, false, false]);
  });

  it("knows IANA zone names and refuses made-up ones", () => {
    assert.equal(isTimeZone("Europe/Berlin"), true);
    assert.equal(isTimeZone("UTC"), true);
    assert.equal(isTimeZone("Mars/Olympus_Mons"), false);
    assert.equal(isTimeZone(""), false);
  });
});

describe("a story's policy: its own over its section's over its site's", () => {
  const story: Pick<StoryRow, "status" | "published_at" | "created_at" | "section" | "close_after_days" | "commenting"> = {
    status: "open",
    published_at: at("2026-11-20T08:00:00Z"),
    created_at: at("2026-11-20T09:00:00Z"),
    section: "politics",
    close_after_days: null,
    commenting: null,
  };
  const settings = {
    ...DEFAULT_MODERATION,
    policy: {
      ...DEFAULT_MODERATION.policy,
      closeAfterDays: 3,
      commenting: "registered" as const,
      sections: { politics: { closeAfterDays: 1, commenting: "subscribers" as const, premod: true } },
    },
  };

  it("closes N days after publication, by the section's number over the site's", () => {
    const clock = manualClock(at("2026-11-21T07:59:00Z"));
    const open = storyPolicy(settings, story, clock.now());
    assert.equal(open.closesAt, at("2026-11-21T08:00:00Z"));
    assert.equal(open.closed, false);
    clock.advance(60_000);
    assert.equal(storyPolicy(settings, story, clock.now()).closed, true);
    assert.equal(storyPolicy(settings, { ...story, section: "sport" }, clock.now()).closesAt, at("2026-11-23T08:00:00Z"));
    assert.equal(storyPolicy(settings, { ...story, close_after_days: 10 }, clock.now()).closed, false, "the story's own wins");
    assert.equal(storyPolicy(settings, { ...story, published_at: null }, clock.now()).closesAt, at("2026-11-21T09:00:00Z"), "first seen, without a date");
  });

  it("takes who may comment and pre-moderation from the section, and the story's own over both", () => {
    const now = at("2026-11-20T12:00:00Z");
    assert.equal(storyPolicy(settings, story, now).commenting, "subscribers");
    assert.equal(storyPolicy(settings, { ...story, section: null }, now).commenting, "registered");
    assert.equal(storyPolicy(settings, { ...story, commenting: "everyone" }, now).commenting, "everyone");
    assert.deepEqual(storyPolicy(settings, story, now).holds.map((h) => h.code), ["SECTION_PREMOD"]);
    assert.deepEqual(storyPolicy(settings, { ...story, section: "sport" }, now).holds, []);
  });

  it("names sections in one spelling", () => {
    assert.equal(normaliseSection(" World News "), "world-news");
    assert.equal(normaliseSection("Économie"), "economie");
    assert.equal(normaliseSection("!!!"), null);
    assert.equal(normaliseSection(undefined), null);
  });
});
