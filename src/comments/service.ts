import { createHmac } from "node:crypto";
import type { Actor } from "../accounts/actor.js";
import { can, commentSubject, storySubject } from "../accounts/policies.js";
import { assertMayPost } from "../accounts/verification.js";
import type { Deps } from "../deps.js";
import { AppError, badRequest, forbidden, notFound } from "../errors.js";
import { idempotentWrite, type Outcome } from "../idempotency.js";
import { moderate } from "../moderation/phases/index.js";
import { ErrorCodes } from "../shared/codes.js";
import type { Transaction } from "kysely";
import { findUserById } from "../accounts/store.js";
import type { CommentRow, Database, StoryRow } from "../store/schema.js";
import { editWindowSeconds, moderationSettings } from "../moderation/settings.js";
import { settingsForSection } from "../policy/resolve.js";
import { type Emit, emitter, withEvents } from "../events/spine.js";
import { getStory } from "../stories/service.js";
import { type PresentedComment, type Quote, type StoredQuote, presentComment } from "./presenter.js";
import { checkQuote } from "./quote.js";
import { renderMarkdown, renderQuote } from "./render.js";
import * as store from "./store.js";
import { countWaitingReactions } from "../reactions/store.js";

export interface PostInput {
  body: string;
  parentId?: string | null;
  quote?: Quote;
  /** The author read the nudge and posts anyway (the comment is then held for review). */
  confirm?: boolean;
}

function composeHtml(body: string, quote: StoredQuote | null): string {
  const html = renderMarkdown(body);
  return quote ? renderQuote(quote.text, quote) + html : html;
}

function presentOwn(deps: Deps, actor: Actor, row: CommentRow): PresentedComment {
  return presentComment(
    { config: deps.config, viewer: actor, authors: new Map([[actor.user.id, actor.user]]), viewerReactions: new Map() },
    row,
  );
}

async function checkedParent(deps: Deps, story: StoryRow, parentId: string): Promise<CommentRow> {
  const parent = await store.findComment(deps.store.db, parentId);
  if (!parent || parent.story_id !== story.id) {
    throw badRequest(ErrorCodes.PARENT_NOT_FOUND, "The comment you are replying to is not part of this story.");
  }
  if (parent.status !== "published") {
    throw new AppError(409, ErrorCodes.PARENT_NOT_REPLYABLE, "The comment you are replying to can no longer be answered.");
  }
  return parent;
}

export const hashIp = (deps: Deps, ip: string | undefined) =>
  ip ? createHmac("sha256", deps.config.secret).update(ip).digest("hex").slice(0, 32) : null;

/** Posts a comment or a reply: checks, moderates, then stores it with its counts in one transaction. */
export async function postComment(props: {
  deps: Deps;
  actor: Actor;
  storyId: string;
  input: PostInput;
  idempotencyKey?: string;
  ip?: string;
}): Promise<Outcome<{ comment: PresentedComment }>> {
  const { deps, actor, storyId, input } = props;
  const events = emitter(deps);
  const outcome = await idempotentWrite(
    deps,
    actor,
    { key: props.idempotencyKey, fingerprint: ["POST comment", storyId, input] },
    async () => {
      const story = await getStory(deps, storyId);
      await assertMayPost(deps, actor, story.site_id);
      const now = deps.clock.now();
      const parent = input.parentId ? await checkedParent(deps, story, input.parentId) : null;
      const ipHash = hashIp(deps, props.ip);
      const verdict = await moderate({
        deps,
        actor,
        story,
        settings: settingsForSection(await moderationSettings(deps, story.site_id), story.section),
        body: input.body,
        parentId: parent?.id ?? null,
        now,
        ipHash,
        confirm: input.confirm === true,
        editing: null,
      });
      const quote = input.quote ? await checkQuote(deps.store.db, story, input.quote) : null;
      const row: CommentRow = {
        id: deps.ids.next(),
        site_id: story.site_id,
        story_id: story.id,
        parent_id: parent?.id ?? null,
        depth: parent ? parent.depth + 1 : 0,
        author_id: actor.user.id,
        body: verdict.body,
        body_html: composeHtml(verdict.body, quote),
        quote: quote ? JSON.stringify(quote) : null,
        status: verdict.status,
        reply_count: 0,
        reaction_count: 0,
        reactions: "{}",
        scores: JSON.stringify(verdict.scores),
        reasons: JSON.stringify(verdict.reasons),
        created_at: now,
        edited_at: null,
        priority: verdict.priority,
        open_reports: 0,
        text_hash: verdict.textHash,
        minhash: verdict.minhash,
        decided_at: null,
        ip_hash: ipHash,
        bridge_rank: -1000,
        bridge_intercept: null,
        bridge_factor: null,
        bridge_ratings: 0,
        bridge_badge: 0,
        featured_at: 0,
        featured_by: null,
        answered_at: 0,
      };
      // In a Q&A story, the newsroom's published reply to a question answers it.
      const answers =
        story.mode === "qa" && parent && parent.depth === 0 && verdict.status === "published" && can(actor, "answer", storySubject(story))
          ? parent.id
          : null;
      return { row, answers };
    },
    async (trx, { row, answers }) => {
      await store.insertComment(trx, row);
      if (answers) await markAnswered(trx, events.emit, answers, row.created_at);
      if (row.status === "published") {
        await store.addToStoryCount(trx, row.story_id, 1);
        if (row.parent_id) await store.addToReplyCount(trx, row.parent_id, 1);
        await countWaitingReactions(trx, row.author_id);
      }
      await events.emit(trx, { type: "comment.created", comment: row, author: actor.user });
      return { statusCode: 201, body: { comment: presentOwn(deps, actor, row) } };
    },
  );
  // A replayed response emitted nothing: it changes no thread and no queue.
  events.committed();
  return outcome;
}

/** A question is answered once: its first answer's time orders the answered questions. */
async function markAnswered(trx: Transaction<Database>, emit: Emit, questionId: string, at: number): Promise<void> {
  const question = await store.findComment(trx, questionId);
  if (!question || question.answered_at > 0) return;
  await store.setAnswered(trx, questionId, at);
  const author = await findUserById(trx, question.author_id);
  await emit(trx, { type: "question.answered", question: { ...question, answered_at: at }, author });
}

async function ownComment(deps: Deps, actor: Actor, id: string): Promise<CommentRow> {
  const comment = await store.findComment(deps.store.db, id);
  if (!comment || comment.status === "removed") throw notFound("Comment");
  if (comment.author_id !== actor.user.id) {
    if (!can(actor, "read", commentSubject(comment))) throw notFound("Comment");
    throw forbidden("Only the author can edit a comment.");
  }
  return comment;
}

/** The author edits within the edit window; the old text is kept as a revision. */
export async function editComment(props: {
  deps: Deps;
  actor: Actor;
  id: string;
  body: string;
  confirm?: boolean;
}): Promise<PresentedComment> {
  const { deps, actor } = props;
  const comment = await ownComment(deps, actor, props.id);
  const now = deps.clock.now();
  const story = await getStory(deps, comment.story_id);
  const settings = settingsForSection(await moderationSettings(deps, story.site_id), story.section);
  const window = editWindowSeconds(deps, settings);
  if (now > comment.created_at + window * 1000) {
    throw new AppError(409, ErrorCodes.EDIT_WINDOW_CLOSED, "The time to edit this comment has passed.", {
      editWindowSeconds: window,
    });
  }
  const verdict = await moderate({
    deps,
    actor,
    story,
    settings,
    body: props.body,
    parentId: comment.parent_id,
    now,
    ipHash: comment.ip_hash,
    confirm: props.confirm === true,
    editing: comment.id,
  });
  const body = verdict.body;
  if (body === comment.body) return presentOwn(deps, actor, comment);
  const quote = comment.quote ? (JSON.parse(comment.quote) as StoredQuote) : null;
  const bodyHtml = composeHtml(body, quote);
  // An edit can send a published comment back for review; it never publishes a held one.
  const withdrawn = comment.status === "published" && verdict.status === "pending";
  const status = withdrawn ? "pending" : comment.status;
  await withEvents(deps, async (trx, emit) => {
    await store.updateBody(trx, {
      id: comment.id,
      oldBody: comment.body,
      oldHtml: comment.body_html,
      body,
      bodyHtml,
      now,
      revisionId: deps.ids.next(),
      moderation: {
        status,
        scores: JSON.stringify(verdict.scores),
        reasons: JSON.stringify(verdict.reasons),
        priority: verdict.priority,
        text_hash: verdict.textHash,
        minhash: verdict.minhash,
      },
    });
    if (withdrawn) {
      await store.addToStoryCount(trx, comment.story_id, -1);
      if (comment.parent_id) await store.addToReplyCount(trx, comment.parent_id, -1);
    }
    const updated = { ...comment, body, body_html: bodyHtml, edited_at: now, status };
    await emit(trx, { type: "comment.edited", comment: updated, author: actor.user, withdrawn });
  });
  return presentOwn(deps, actor, { ...comment, body, body_html: bodyHtml, edited_at: now, status });
}

/**
 * Deletes a comment for its author or a moderator. A comment with replies becomes a
 * tombstone so the conversation under it stays in place; one without is removed outright.
 */
export async function deleteComment(props: { deps: Deps; actor: Actor; id: string }): Promise<void> {
  const { deps, actor } = props;
  const comment = await store.findComment(deps.store.db, props.id);
  if (!comment || comment.status === "removed") throw notFound("Comment");
  const mine = comment.author_id === actor.user.id;
  if (!mine && !can(actor, "remove", commentSubject(comment))) {
    if (comment.status !== "published") throw notFound("Comment");
    throw forbidden("Only the author or a moderator can delete a comment.");
  }
  await withEvents(deps, async (trx, emit) => {
    const current = await store.findComment(trx, comment.id);
    if (!current || current.status === "removed") return;
    await emit(trx, { type: "comment.deleted", comment: current, removedBy: mine ? null : actor.user.id });
    await store.removeComment(trx, {
      id: current.id,
      status: current.status,
      storyId: current.story_id,
      parentId: current.parent_id,
      replyCount: current.reply_count,
    });
  });
}
