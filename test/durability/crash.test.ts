import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { normaliseText } from "../../src/comments/text.js";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { DEFAULT_SITE_ID, changeModerationSettings } from "../../src/moderation/settings.js";
import { openStore } from "../../src/store/db.js";
import { DIALECTS, RELAXED_FOR_TESTS, freshDatabase, resolveStory, signup } from "../helpers.js";
import { CORPORA } from "../security/corpora.js";
import { countMismatches, integrityCheck, startServer } from "./harness.js";

/**
 * Crash durability: concurrent clients post comments and reactions with idempotency keys
 * while the server is SIGKILLed at random moments and restarted. Every response is recorded
 * as acknowledged (2xx with an id), refused (4xx) or unknown (timeout, reset, 5xx). Small in
 * `npm test`; `npm run test:durability` runs 20 kills (DURABILITY_KILLS).
 */
const KILLS = Number(process.env.DURABILITY_KILLS) || 3;
const CLIENTS = 4;
/** Comments acknowledged in each round before its kill may come (bounded by 30 s). */
const MIN_ACKED_PER_ROUND = 8;
const SECRET = "durability-test-secret-0123456789";

type Outcome = "acked" | "refused" | "unknown";
interface CommentOp {
  key: string;
  user: number;
  body: string;
  outcome?: Outcome;
  id?: string;
}
interface ReactionOp {
  key: string;
  user: number;
  commentId: string;
  kind: string;
  outcome?: Outcome;
}

let blns: string[] = [];
try {
  blns = JSON.parse(readFileSync(join(CORPORA, "blns.json"), "utf8")) as string[];
} catch {
  blns = ["plain words", "ünïcödé", "😀 emoji", "<b>bold</b>"];
}

const random = (n: number) => Math.floor(Math.random() * n);

/** The body as stored, or null for one the server must refuse whatever happened to its answer. */
function storedBody(body: string): string | null {
  try {
    return normaliseText(body);
  } catch {
    return null;
  }
}

async function send(base: string, path: string, token: string, key: string, payload: object): Promise<{ outcome: Outcome; json?: Record<string, unknown> }> {
  try {
    const res = await fetch(base + path, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(5000),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 200 && res.status < 300) return { outcome: "acked", json };
    return { outcome: res.status < 500 ? "refused" : "unknown", json };
  } catch {
    return { outcome: "unknown" };
  }
}

/** The servers' worker counts to crash (DURABILITY_WORKERS, e.g. "1,2"): one process, and a primary with two workers. */
const WORKER_COUNTS = (process.env.DURABILITY_WORKERS || "1,2").split(",").map((n) => n.trim());

for (const { dialect, skip, workers } of DIALECTS.flatMap((d) => WORKER_COUNTS.map((workers) => ({ ...d, workers })))) {
  describe(`crash durability on ${dialect}, PARLEY_WORKERS=${workers} (${KILLS} kills)`, { skip }, () => {
    let url: string;
    let drop: () => Promise<void>;
    const users: { token: string; id: string }[] = [];
    let storyId: string;
    const env = () => ({ PARLEY_WORKERS: workers, DATABASE_URL: url, PARLEY_SECRET: SECRET, PARLEY_PASSWORD_MEMORY_KIB: "1024", PARLEY_ALLOWED_ORIGINS: "https://news.example" });

    before(async () => {
      ({ url, drop } = await freshDatabase(dialect));
      // Accounts, story and relaxed limits are prepared in process; the servers under test are children.
      const store = await openStore(url);
      const app = await buildApp({ config: loadConfig({ ...env(), LOG_LEVEL: "silent" }), store });
      await app.ready();
      await changeModerationSettings(app.deps, DEFAULT_SITE_ID, RELAXED_FOR_TESTS);
      for (let i = 0; i < CLIENTS; i++) users.push(await signup(app, `Durable ${i}`));
      storyId = await resolveStory(app);
      await app.close();
      await store.close();
    });
    after(() => drop());

    it("loses no acknowledged write, shows no refused one and duplicates nothing across SIGKILLs", async () => {
      const comments: CommentOp[] = [];
      const reactions: ReactionOp[] = [];
      let serial = 0;
      for (let round = 0; round < KILLS; round++) {
        const server = await startServer(env());
        let stop = false;
        const client = async (user: number) => {
          while (!stop) {
            const acked = comments.filter((c) => c.outcome === "acked" && c.user !== user);
            if (acked.length > 0 && random(4) === 0) {
              const op: ReactionOp = { key: `r-${randomBytes(6).toString("hex")}`, user, commentId: acked[random(acked.length)].id as string, kind: ["like", "funny", "insightful"][random(3)] };
              reactions.push(op);
              op.outcome = (await send(server.base, `/api/v1/comments/${op.commentId}/reactions`, users[user].token, op.key, { kind: op.kind })).outcome;
              continue;
            }
            const n = serial++;
            // One in twenty carries a NUL, which must be refused and never stored.
            const body = `Durable ${round}.${n} ${n % 20 === 7 ? "\u0000" : ""}${blns[n % blns.length]}`;
            const op: CommentOp = { key: `c-${n}-${randomBytes(4).toString("hex")}`, user, body };
            comments.push(op);
            const res = await send(server.base, `/api/v1/stories/${storyId}/comments`, users[user].token, op.key, { body });
            op.outcome = res.outcome;
            if (res.outcome === "acked") op.id = (res.json?.comment as { id: string }).id;
          }
        };
        const before = { acked: comments.filter((c) => c.outcome === "acked").length };
        const running = Array.from({ length: CLIENTS }, (_, i) => client(i));
        // Each round does real work before the kill, however slow the machine: some comments
        // acknowledged (and, by the end of the first round, one refused), then a random moment.
        const worked = () =>
          comments.filter((c) => c.outcome === "acked").length - before.acked >= MIN_ACKED_PER_ROUND &&
          (round > 0 || comments.some((c) => c.outcome === "refused"));
        for (const until = Date.now() + 30_000; !worked() && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
        await new Promise((resolve) => setTimeout(resolve, random(1200)));
        await server.kill();
        stop = true;
        await Promise.all(running);
      }

      const tally = (ops: { outcome?: Outcome }[]) => ({
        acked: ops.filter((o) => o.outcome === "acked").length,
        refused: ops.filter((o) => o.outcome === "refused").length,
        unknown: ops.filter((o) => o.outcome === "unknown").length,
      });
      const summary = { comments: tally(comments), reactions: tally(reactions) };
      assert.ok(summary.comments.acked > 10 && summary.comments.refused > 0, JSON.stringify(summary));

      const store = await openStore(url);
      try {
        assert.equal(await integrityCheck(store), "ok");
        assert.deepEqual(await countMismatches(store), [], "stored counts equal real counts");
        const rows = await store.db.selectFrom("comments").select(["id", "body"]).where("story_id", "=", storyId).execute();
        const byBody = new Map<string, { id: string }[]>();
        for (const r of rows) byBody.set(r.body, [...(byBody.get(r.body) ?? []), r]);
        for (const op of comments) {
          const found = byBody.get(storedBody(op.body) ?? op.body) ?? [];
          if (storedBody(op.body) === null) assert.equal(found.length, 0, `${op.key} cannot be stored`);
          if (op.outcome === "acked") {
            assert.equal(found.length, 1, `acknowledged ${op.key} exists exactly once`);
            assert.equal(found[0].id, op.id, `acknowledged ${op.key} has its id`);
          } else if (op.outcome === "refused") {
            assert.equal(found.length, 0, `refused ${op.key} does not exist`);
          } else {
            assert.ok(found.length <= 1, `unknown ${op.key} exists at most once`);
          }
        }
        const stored = await store.db.selectFrom("reactions").select(["comment_id", "user_id", "kind"]).execute();
        for (const op of reactions.filter((r) => r.outcome === "acked")) {
          assert.ok(stored.some((r) => r.comment_id === op.commentId && r.user_id === users[op.user].id && r.kind === op.kind), `acknowledged reaction ${op.key}`);
        }
      } finally {
        await store.close();
      }

      // Every key replayed after the last crash answers with the original comment, never a second one.
      const server = await startServer(env());
      try {
        for (const op of comments.filter((c) => c.outcome !== "refused" && storedBody(c.body) !== null)) {
          const res = await send(server.base, `/api/v1/stories/${storyId}/comments`, users[op.user].token, op.key, { body: op.body });
          assert.equal(res.outcome, "acked", `replay of ${op.key}`);
          const id = (res.json?.comment as { id: string }).id;
          if (op.outcome === "acked") assert.equal(id, op.id, `replay of ${op.key} returns the original id`);
        }
        for (const op of reactions.filter((r) => r.outcome === "acked")) {
          const res = await send(server.base, `/api/v1/comments/${op.commentId}/reactions`, users[op.user].token, op.key, { kind: op.kind });
          assert.equal(res.outcome, "acked", `replay of ${op.key}`);
        }
      } finally {
        await server.kill();
      }
      const store2 = await openStore(url);
      try {
        const rows = await store2.db.selectFrom("comments").select("body").where("story_id", "=", storyId).execute();
        const bodies = rows.map((r) => r.body);
        assert.equal(new Set(bodies).size, bodies.length, "no comment was stored twice by a replay");
        assert.equal(rows.length, comments.filter((c) => c.outcome !== "refused" && storedBody(c.body) !== null).length, "every acknowledged or unknown comment exists once after its replay");
        assert.deepEqual(await countMismatches(store2), []);
      } finally {
        await store2.close();
      }
      process.stdout.write(`# durability ${dialect}, ${workers} worker(s): ${KILLS} kills, ${JSON.stringify(summary)}\n`);
    });
  });
}
