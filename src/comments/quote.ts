import type { Kysely } from "kysely";
import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import type { Database, StoryRow } from "../store/schema.js";
import { findUserById } from "../accounts/store.js";
import type { Quote, StoredQuote } from "./presenter.js";
import { findComment } from "./store.js";
import { foldWhitespace, normaliseText } from "./text.js";
import { plainText } from "./render.js";

const MAX_QUOTE = 1000;
const notFound = () =>
  badRequest(
    ErrorCodes.QUOTE_NOT_FOUND,
    "The quoted passage was not found in its source; select it again and quote it.",
  );

/** Checks that a quoted passage stands in the story or in a visible comment of the same story. */
export async function checkQuote(db: Kysely<Database>, story: StoryRow, quote: Quote): Promise<StoredQuote> {
  const text = normaliseText(quote.text).trim();
  if (text.length === 0 || [...text].length > MAX_QUOTE) {
    throw badRequest(ErrorCodes.VALIDATION_FAILED, `A quote is 1 to ${MAX_QUOTE} characters long.`);
  }
  const wanted = foldWhitespace(text);
  if (quote.source === "story") {
    if (!story.body_text || !foldWhitespace(plainText(story.body_text)).includes(wanted)) throw notFound();
    return { source: "story", text, label: story.title, href: story.url };
  }
  if (!quote.commentId) throw notFound();
  const comment = await findComment(db, quote.commentId);
  if (!comment || comment.story_id !== story.id || comment.status !== "published") throw notFound();
  if (!foldWhitespace(plainText(comment.body)).includes(wanted) && !foldWhitespace(comment.body).includes(wanted)) {
    throw notFound();
  }
  const author = await findUserById(db, comment.author_id);
  return {
    source: "comment",
    commentId: comment.id,
    text,
    label: author?.display_name ?? "a reader",
    href: `#comment-${comment.id}`,
  };
}
