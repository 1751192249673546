import { conflict } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import { decodeSignature, minhash, similarity, textHash } from "../minhash.js";
import type { Phase } from "./types.js";

const MINUTE = 60_000;
const NEAR_CANDIDATES = 50;

/**
 * Double posts are refused: the same text from the same author on the same story within
 * minutes, or a near copy (MinHash Jaccard over character 5-grams) within a day. The
 * same text from several accounts within an hour is held as spam.
 */
export const duplicates: Phase = async ({ deps, actor, story, settings, body, now, editing }) => {
  const rules = settings.duplicates;
  const hash = textHash(body);
  const db = deps.store.read;
  const refuse = () =>
    conflict(ErrorCodes.DUPLICATE_COMMENT, "You already posted this comment here.", { storyId: story.id });
  if (rules.exactWindowMinutes > 0) {
    const same = await db
      .selectFrom("comments")
      .select("id")
      .where("text_hash", "=", hash)
      .where("created_at", ">=", now - rules.exactWindowMinutes * MINUTE)
      .where("author_id", "=", actor.user.id)
      .where("story_id", "=", story.id)
      .$if(editing !== null, (q) => q.where("id", "!=", editing ?? ""))
      .limit(1)
      .executeTakeFirst();
    if (same) throw refuse();
  }
  if (rules.nearWindowHours > 0) {
    const recent = await db
      .selectFrom("comments")
      .select(["id", "minhash"])
      .where("author_id", "=", actor.user.id)
      .where("created_at", ">=", now - rules.nearWindowHours * 60 * MINUTE)
      .where("minhash", "is not", null)
      .$if(editing !== null, (q) => q.where("id", "!=", editing ?? ""))
      .orderBy("created_at", "desc")
      .limit(NEAR_CANDIDATES)
      .execute();
    if (recent.length > 0) {
      const signature = minhash(body);
      if (recent.some((r) => r.minhash && similarity(signature, decodeSignature(r.minhash)) >= rules.nearJaccard))
        throw refuse();
    }
  }
  const others = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.count<number>("author_id").distinct().as("authors"))
    .where("text_hash", "=", hash)
    .where("created_at", ">=", now - rules.spamWindowMinutes * MINUTE)
    .where("author_id", "!=", actor.user.id)
    .executeTakeFirstOrThrow();
  if (Number(others.authors) + 1 >= rules.spamAccounts) {
    return {
      hold: true,
      reasons: [
        {
          phase: "duplicates",
          code: "COPIED_ACROSS_ACCOUNTS",
          message: `The same text came from ${Number(others.authors) + 1} accounts within the hour.`,
        },
      ],
      scores: { spam: 1 },
    };
  }
};
