/**
 * Posts labelled comments through Parley's whole submit pipeline at default settings (an app
 * on a scratch SQLite file, as a site would run it) and reports what was withheld. Only the
 * text decides: rate limits, account limits and link rules are off, every comment comes from a new account
 * on its own story.
 */
import { randomBytes } from "node:crypto";
import { loadConfig } from "../src/config.js";
import { buildApp } from "../src/http/app.js";
import { openStore } from "../src/store/db.js";
import { scratchDatabase } from "../test/scratch.js";
import { changeModerationSettings } from "../src/moderation/settings.js";
import { changeAccountSettings } from "../src/accounts/settings.js";
import { RELAXED_ACCOUNT_LIMITS } from "../test/helpers.js";
import { DEFAULT_SITE_ID } from "../src/site/service.js";

export interface PipelineOutcome {
  /** published, nudged (422 NEEDS_CONFIRMATION), held (pending) or refused (another 4xx). */
  lane: "published" | "nudged" | "held" | "refused";
  /** The error code of a refusal or nudge, or the first hold reason. */
  code?: string;
}

export async function throughPipeline(
  texts: string[],
  /** Settings on top of the defaults (after rate limits and link rules are turned off). */
  moderation: Record<string, unknown> = {},
): Promise<{ outcomes: PipelineOutcome[]; msPerComment: number }> {
  const db = await scratchDatabase("sqlite", "", "eval");
  const config = loadConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: "silent",
    PUBLIC_URL: "http://parley.eval",
    PARLEY_ALLOWED_ORIGINS: "https://news.example",
    PARLEY_PASSWORD_MEMORY_KIB: "1024",
  });
  const store = await openStore(config.databaseUrl, { poolSize: 2 });
  let now = Date.parse("2026-11-20T12:00:00Z");
  const app = await buildApp({ config, store, clock: { now: () => now } });
  await app.ready();
  // One address signs up every reader and opens every story: the account limits (30 sign-ups
  // and 30 stories per address per hour) would refuse most of them.
  await changeAccountSettings(app.deps, DEFAULT_SITE_ID, { limits: RELAXED_ACCOUNT_LIMITS });
  await changeModerationSettings(app.deps, DEFAULT_SITE_ID, {
    rateLimits: { enabled: false },
    maxLinks: 50,
    linkMinPublished: 0,
    ...moderation,
  });
  const outcomes: PipelineOutcome[] = [];
  let ms = 0;
  try {
    for (const [k, text] of texts.entries()) {
      now += 60_000;
      const signup = await app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: `eval${k}-${randomBytes(3).toString("hex")}@example.com`, password: "correct horse battery", displayName: `Reader ${k}` },
      });
      const token = signup.json<{ token: string }>().token;
      const story = await app.inject({
        method: "GET",
        url: `/api/v1/stories/resolve?url=${encodeURIComponent(`https://news.example/eval-${k}`)}`,
      });
      const t0 = performance.now();
      const res = await app.inject({
        method: "POST",
        url: `/api/v1/stories/${story.json<{ id: string }>().id}/comments`,
        headers: { authorization: `Bearer ${token}` },
        payload: { body: text },
      });
      ms += performance.now() - t0;
      if (res.statusCode === 201) {
        const comment = res.json<{ comment: { id: string; status: string } }>().comment;
        if (comment.status === "published") outcomes.push({ lane: "published" });
        else {
          const row = await store.db.selectFrom("comments").select("reasons").where("id", "=", comment.id).executeTakeFirst();
          const reasons = JSON.parse(row?.reasons ?? "[]") as Array<{ code: string }>;
          outcomes.push({ lane: "held", code: reasons.map((r) => r.code).join("+") });
        }
      } else {
        const code = res.json<{ error: { code: string } }>().error.code;
        outcomes.push({ lane: code === "NEEDS_CONFIRMATION" ? "nudged" : "refused", code });
      }
    }
  } finally {
    await app.close();
    await store.close();
    await db.drop();
  }
  return { outcomes, msPerComment: ms / Math.max(1, texts.length) };
}
