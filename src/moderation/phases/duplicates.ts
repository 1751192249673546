import { conflict } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import { foldForDuplicates, minhash, similarityTo, textHash } from "../minhash.js";
import type { Reason } from "../verdict.js";
import {
  authorNameOf,
  firstByOthersWithText,
  otherAuthorsOfText,
  othersLatestSigned,
  recentSignatures,
  wroteSameText,
  bodyOf,
} from "./store.js";
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
  const among = { storyId: story.id, authorId: actor.user.id, editing };
  let original = await firstByOthersWithText(db, { ...among, hash: own === body ? hash : textHash(own) });
  if (!original) {
    const signature = minhash(own);
    const recent = await othersLatestSigned(db, { ...among, limit: STORY_CANDIDATES });
    const mine = numbersIn(own);
    for (const candidate of recent) {
      if (!candidate.minhash || similarityTo(signature, candidate.minhash) < nearJaccard) continue;
      // Numbers are what a comment says: "the vote was 12 to 3" is no copy of "13 to 2", however alike the words.
      const theirs = await bodyOf(db, candidate.id);
      if (theirs !== undefined && numbersIn(theirs) !== mine) continue;
      original = { ...candidate, display_name: (await authorNameOf(db, candidate.author_id)) ?? "" };
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
    const since = now - rules.exactWindowMinutes * MINUTE;
    if (await wroteSameText(db, { hash, since, authorId: actor.user.id, storyId: story.id, editing })) throw refuse();
  }
  if (rules.nearWindowHours > 0) {
    const since = now - rules.nearWindowHours * 60 * MINUTE;
    const recent = await recentSignatures(db, { authorId: actor.user.id, since, editing, limit: NEAR_CANDIDATES });
    if (recent.length > 0) {
      const signature = minhash(body);
      if (recent.some((r) => similarityTo(signature, r) >= rules.nearJaccard)) throw refuse();
    }
  }
  const others = await otherAuthorsOfText(db, {
    hash,
    since: now - rules.spamWindowMinutes * MINUTE,
    authorId: actor.user.id,
  });
  const reasons: Reason[] = [];
  const copy = await copyOfAnotherReader(submission, hash, rules.nearJaccard);
  if (copy) reasons.push(copy);
  if (others + 1 >= rules.spamAccounts) {
    reasons.push({
      phase: "duplicates",
      code: "COPIED_ACROSS_ACCOUNTS",
      message: `The same text came from ${others + 1} accounts within the hour.`,
    });
    return { hold: true, reasons, scores: { spam: 1 } };
  }
  if (reasons.length) return { hold: true, reasons };
};
