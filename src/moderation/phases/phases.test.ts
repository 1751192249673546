import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import type { Deps } from "../../deps.js";
import type { StoryRow, UserRow } from "../../store/schema.js";
import { DEFAULT_MODERATION, type ModerationSettings } from "../settings.js";
import { DEFAULT_SWEARING_TOXICITY } from "../../classifier/index.js";
import { encodeSignature, minhash, similarity } from "../minhash.js";
import { preModeration } from "./premod.js";
import { scores } from "./scores.js";
import { storyOpen } from "./standing.js";
import { text } from "./text.js";
import type { Submission } from "./types.js";
import { externalWebhook, signature } from "./webhook.js";
import { despaced, words } from "./words.js";
import { moderate } from "./index.js";

const NOW = Date.parse("2026-11-20T12:00:00Z");
const user: UserRow = {
  id: "u1",
  email: "u@example.com",
  password_hash: null,
  display_name: "Reader",
  role: "commenter",
  status: "active",
  suspended_until: null,
  created_at: NOW - 30 * 86400_000,
  premod: 0,
  warning: null,
};
const story: StoryRow = {
  id: "s1",
  site_id: "default",
  url: "https://news.example/a",
  title: "A story",
  author: null,
  published_at: null,
  body_text: null,
  status: "open",
  premod: 0,
  comment_count: 0,
  created_at: NOW,
  updated_at: NOW,
  event_seq: 0,
      mode: "comments",
  section: null,
  close_after_days: null,
  commenting: null,
};

/** Phases that read nothing from the database get deps without a store. */
function submission(overrides: Partial<Submission> = {}, settings: Partial<ModerationSettings> = {}): Submission {
  const deps = {
    // The webhook receiver below is on loopback.
    config: { maxCommentLength: 5000, webhookAllowPrivate: true },
    log: { warn: () => undefined },
    scorer: {
      name: "fixed",
      version: "1",
      score: () => ({
        scores: { toxicity: 0.1, insult: 0.1, identityAttack: 0, threat: 0, profanity: 0, spam: 0 },
        spans: [],
        scorer: { name: "fixed", version: "1" },
      }),
    },
  } as unknown as Deps;
  return {
    deps,
    actor: { user, sessionId: "s" },
    story,
    settings: { ...DEFAULT_MODERATION, ...settings },
    body: "A perfectly civil remark about the council.",
    parentId: null,
    now: NOW,
    ipHash: null,
    confirm: false,
    editing: null,
    ...overrides,
  };
}

describe("moderation phases that read no data, each alone", () => {
  it("refuses comments on closed stories", () => {
    assert.throws(() => storyOpen(submission({ story: { ...story, status: "closed" } })), { code: "STORY_CLOSED" });
    assert.equal(storyOpen(submission()), undefined);
  });

  it("normalises the text and refuses empty and over-long bodies", () => {
    assert.deepEqual(text(submission({ body: "  hi\u200B there  " })), { body: "  hi there  " });
    assert.throws(() => text(submission({ body: " \n " })), { code: "COMMENT_EMPTY" });
    assert.throws(() => text(submission({ body: "x".repeat(5001) })), { code: "COMMENT_TOO_LONG" });
  });

  it("refuses banned words without naming them, even spaced out or in leetspeak", () => {
    const settings = { bannedWords: ["grifter"], suspectWords: [] as string[] };
    for (const body of ["What a grifter.", "what a g r i f t e r", "what a gr1ft3r"]) {
      assert.throws(
        () => words(submission({ body }, settings)),
        (e: { code: string; message: string }) => e.code === "BANNED_WORD" && !e.message.includes("grifter"),
        body,
      );
    }
    assert.equal(words(submission({ body: "A fine remark." }, settings)), undefined);
  });

  it("holds slurs and disguised listed words at once; leaves swearing in plain sight to the scores", async () => {
    for (const body of ["you are a f u c k i n g moron", "sh1t show", "what a f*cking mess", "fUcK this", "such a tranny"]) {
      assert.equal((await words(submission({ body })))?.hold, true, body);
    }
    for (const body of ["This is fucking bullshit.", "FUCK yes, finally a bus lane.", "Bullshit, says the mayor."]) {
      assert.deepEqual(await words(submission({ body })), { swearing: true }, body);
    }
    // A site's own list holds on any match, as the site asked.
    assert.equal((await words(submission({ body: "This is fucking brilliant." }, { suspectWords: ["fucking"] })))?.hold, true);
    assert.equal(await words(submission({ body: "Scunthorpe's assassin got a cocktail." })), undefined);
    assert.equal(despaced("f u c k i n g and a b c"), "fucking and abc");
  });

  it("holds a comment whose score reaches a threshold, and nudges first when asked to", async () => {
    const hostile = submission({}, { thresholds: { ...DEFAULT_MODERATION.thresholds, insult: 0.05 }, nudge: false });
    const held = await scores(hostile);
    assert.equal(held?.hold, true);
    assert.equal(held?.reasons?.[0].code, "SCORE_INSULT");
    await assert.rejects(async () => scores({ ...hostile, settings: { ...hostile.settings, nudge: true } }), {
      code: "NEEDS_CONFIRMATION",
    });
    assert.equal(
      (await scores({ ...hostile, settings: { ...hostile.settings, nudge: true }, confirm: true }))?.hold,
      true,
    );
    assert.equal((await scores(submission()))?.hold, undefined);
  });

  it("withholds swearing only when toxicity agrees (the model's swearingToxicity), as the list held it before", async () => {
    const scoring = (toxicity: number) =>
      ({
        ...submission().deps,
        scorer: {
          name: "fixed",
          version: "1",
          score: () => ({
            scores: { toxicity, insult: 0, identityAttack: 0, threat: 0, profanity: 0, spam: 0 },
            spans: [],
            scorer: { name: "fixed", version: "1" },
          }),
        },
      }) as unknown as Deps;
    const friendly = submission({ swearing: true, deps: scoring(Math.max(0, DEFAULT_SWEARING_TOXICITY - 0.01)) });
    assert.equal((await scores(friendly))?.hold, undefined);
    const hostile = submission({ swearing: true, deps: scoring(DEFAULT_SWEARING_TOXICITY) });
    assert.deepEqual((await scores(hostile))?.reasons?.map((r) => r.code), ["SUSPECT_WORD"]);
    assert.equal((await scores(hostile))?.hold, true);
  });

  it("gives three lanes by default: publish, ask the author with the passages, hold at once over the hold line", async () => {
    assert.equal(DEFAULT_MODERATION.nudge, true);
    const lanes = { thresholds: { ...DEFAULT_MODERATION.thresholds, insult: 0.05 }, holdThresholds: { ...DEFAULT_MODERATION.holdThresholds, insult: 0.5 } };
    await assert.rejects(async () => scores(submission({}, lanes)), (e: Error & { code?: string; details?: { categories: string[] } }) => {
      assert.equal(e.code, "NEEDS_CONFIRMATION");
      assert.deepEqual(e.details?.categories, ["SCORE_INSULT"]);
      return true;
    });
    const over = { ...lanes, holdThresholds: { ...lanes.holdThresholds, insult: 0.08 } };
    assert.equal((await scores(submission({}, over)))?.hold, true, "over the hold line: no question asked");
  });

  it("asks an external webhook with a signed request, and fails open or closed as configured", async () => {
    const seen: { signature: string; body: string }[] = [];
    let answer: object | null = { action: "hold", reason: "looks like spam" };
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ signature: String(req.headers["x-parley-signature"]), body });
        if (!answer) return void res.writeHead(500).end();
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/moderate`;
    try {
      const hook = (failOpen: boolean) => ({
        webhook: { url, secret: "a-secret-of-16-chars", timeoutMs: 500, failOpen },
      });
      const held = await externalWebhook(submission({}, hook(true)));
      assert.equal(held?.reasons?.[0].code, "WEBHOOK_HOLD");
      assert.equal(seen[0].signature, signature("a-secret-of-16-chars", Math.floor(NOW / 1000), seen[0].body));
      answer = { action: "reject", reason: "Not on this site." };
      await assert.rejects(async () => externalWebhook(submission({}, hook(true))), { message: "Not on this site." });
      answer = null;
      assert.equal(await externalWebhook(submission({}, hook(true))), undefined, "fail-open publishes");
      assert.equal((await externalWebhook(submission({}, hook(false))))?.reasons?.[0].code, "WEBHOOK_UNAVAILABLE");
    } finally {
      server.close();
    }
  });

  it("estimates Jaccard similarity of near-duplicates with MinHash", () => {
    const a = minhash("Exactly right, the council never checks its facts.");
    assert.ok(similarity(a, minhash("Exactly right, the council never checks its facts!!")) >= 0.8);
    assert.ok(similarity(a, minhash("The bus lanes will cut commute times by 12 minutes.")) < 0.2);
    assert.equal(encodeSignature(a).length, 344);
  });

  it("runs the phases in order: the first refusal wins, holds accumulate with their reasons", async () => {
    const verdict = await moderate(submission({ story: { ...story, premod: 1 }, body: "This is bullsh1t." }), [
      storyOpen,
      text,
      words,
      preModeration,
    ]);
    assert.equal(verdict.status, "pending");
    assert.deepEqual(
      verdict.reasons.map((r) => r.code),
      ["SUSPECT_WORD", "STORY_PREMOD"],
    );
    await assert.rejects(
      moderate(submission({ story: { ...story, status: "archived" }, body: "" }), [storyOpen, text]),
      { code: "STORY_CLOSED" },
    );
  });
});
