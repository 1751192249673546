import { conflict } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import { decodeSignature, foldForDuplicates, minhash, similarity, textHash } from "../minhash.js";
import type { Reason } from "../verdict.js";
import type { Phase, Submission } from "./types.js";

const MINUTE = 60_000;
const NEAR_CANDIDATES = 50;
/** Other readers' comments on the story compared for a near copy, newest first. */
const STORY_CANDIDATES = 500;
/**
 * A copy must be long enough to be someone's own words: two readers may both write
 * "Agreed." or "Thanks for the reporting".
 */
const MIN_COPY_WORDS = 8;
const MIN_COPY_CHARS = 40;

/** The numbers a text cites, in order. */
const numbersIn = (text: string) => (text.normalize("NFKC").match(/\d+/g) ?? []).join(" ");

/**
 * A verbatim or near-verbatim copy of another reader's comment on the same story, at any
 * time: the original's id and author go with the reason so that the desk can show both.
 * Quoting through the quote feature stores the quote apart from the body, so it is no copy.
 */
async function copyOfAnotherReader(
  { deps, actor, story, body, editing }: Submission,
  hash: string,
  nearJaccard: number,
): Promise<Reason | undefined> {
  // Lines quoted with "> " are the other reader's words by the author's own account.
  const own = body
    .split("\n")
    .filter((line) => !line.trimStart().startsWith(">"))
    .join("\n");
  const folded = foldForDuplicates(own);
  if (folded.length < MIN_COPY_CHARS || folded.split(" ").length < MIN_COPY_WORDS) return undefined;
  const db = deps.store.read;
  const others = () =>
    db
      .selectFrom("comments")
      .innerJoin("users", "users.id", "comments.author_id")
      .select(["comments.id", "comments.minhash", "users.display_name"])
      .where("comments.story_id", "=", story.id)
      .where("comments.author_id", "!=", actor.user.id)
      .$if(editing !== null, (q) => q.where("comments.id", "!=", editing ?? ""));
  let original = await others()
    .where("comments.text_hash", "=", own === body ? hash : textHash(own))
    .orderBy("comments.created_at", "asc")
    .limit(1)
    .executeTakeFirst();
  if (!original) {
    const signature = minhash(own);
    const recent = await others()
      .where("comments.minhash", "is not", null)
      .orderBy("comments.created_at", "desc")
      .limit(STORY_CANDIDATES)
      .execute();
    const mine = numbersIn(own);
    for (const candidate of recent.reverse()) {
      if (!candidate.minhash || similarity(signature, decodeSignature(candidate.minhash)) < nearJaccard) continue;
      // Numbers are what a comment says: "the vote was 12 to 3" is no copy of "13 to 2", however alike the words.
      const theirs = await db.selectFrom("comments").select("body").where("id", "=", candidate.id).executeTakeFirst();
      if (theirs && numbersIn(theirs.body) !== mine) continue;
      original = candidate;
      break;
    }
  }
  if (!original) return undefined;
  return {
    phase: "duplicates",
    code: "COPY_OF_ANOTHER_READER",
    message: `A copy of a comment ${original.display_name} posted on this story.`,
    details: { originalCommentId: original.id, originalAuthor: original.display_name },
  };
}

/**
 * Double posts are refused: the same text from the same author on the same story within
 * minutes, or a near copy (MinHash Jaccard over character 5-grams) within a day. The
 * same text from several accounts within an hour is held as spam.
 */
export const duplicates: Phase = async (submission) => {
  const { deps, actor, story, settings, body, now, editing } = submission;
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
  const reasons: Reason[] = [];
  const copy = await copyOfAnotherReader(submission, hash, rules.nearJaccard);
  if (copy) reasons.push(copy);
  if (Number(others.authors) + 1 >= rules.spamAccounts) {
    reasons.push({
      phase: "duplicates",
      code: "COPIED_ACROSS_ACCOUNTS",
      message: `The same text came from ${Number(others.authors) + 1} accounts within the hour.`,
    });
    return { hold: true, reasons, scores: { spam: 1 } };
  }
  if (reasons.length) return { hold: true, reasons };
};
