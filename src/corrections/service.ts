import { webAddress } from "../web-address.js";
import type { Actor } from "../accounts/actor.js";
import { sitesWhere } from "../accounts/actor.js";
import { can, siteSubject } from "../accounts/policies.js";
import { findUsersByIds } from "../accounts/store.js";
import { assertMayPost } from "../accounts/verification.js";
import { hashIp } from "../comments/service.js";
import { foldWhitespace, normaliseText } from "../comments/text.js";
import { plainText } from "../comments/render.js";
import type { Deps } from "../deps.js";
import { AppError, badRequest, conflict, forbidden, notFound, unauthenticated } from "../errors.js";
import { idempotentWrite, type Outcome } from "../idempotency.js";
import { PHASES, moderate } from "../moderation/phases/index.js";
import { duplicates } from "../moderation/phases/duplicates.js";
import { storyOpen } from "../moderation/phases/standing.js";
import { moderationSettings } from "../moderation/settings.js";
import { ErrorCodes } from "../shared/codes.js";
import type { Correction, DeskCorrection, StoryCorrection } from "../shared/corrections.js";
import type { Transaction } from "kysely";
import type { CorrectionRow, CorrectionStatus, Database, StoryRow } from "../store/schema.js";
import { getStory } from "../stories/service.js";
import { decodeTimeCursor, encodeTimeCursor } from "../http/time-cursor.js";
import { emitter } from "../events/spine.js";
import { announceDecision } from "./effects.js";
import { groupKey, presentCorrection, presentDeskCorrection, presentStoryCorrection } from "./presenter.js";
import * as store from "./store.js";

const MAX_QUOTE = 1000;

/**
 * A suggestion runs through the comment phases, except two that do not fit: a correction to an
 * old (closed) story is still welcome, and its text is not a comment another one could copy.
 */
const CORRECTION_PHASES = PHASES.filter((p) => p !== storyOpen && p !== duplicates);

export interface SuggestInput {
  body: string;
  quote?: { text: string };
  evidenceUrl?: string;
}

function checkedEvidence(raw: string | undefined): string | null {
  return raw === undefined || raw.trim() === "" ? null : webAddress(raw, "The evidence link");
}

/** The quoted passage, checked against the article when Parley has its text. */
function checkedPassage(
  story: StoryRow,
  quote: { text: string } | undefined,
): { text: string; passage: string } | null {
  if (!quote) return null;
  const text = normaliseText(quote.text).trim();
  if (text.length === 0) return null;
  if ([...text].length > MAX_QUOTE)
    throw badRequest(ErrorCodes.VALIDATION_FAILED, `A quote is 1 to ${MAX_QUOTE} characters long.`);
  const folded = foldWhitespace(text);
  if (story.body_text && !foldWhitespace(plainText(story.body_text)).includes(folded)) {
    throw new AppError(
      422,
      ErrorCodes.QUOTE_NOT_FOUND,
      "That passage is not in the article; select it in the article and quote it.",
    );
  }
  return { text: folded, passage: folded.toLowerCase() };
}

/** A reader suggests a correction: checked, run through the moderation phases, stored open for the newsroom. */
export async function suggestCorrection(props: {
  deps: Deps;
  actor: Actor;
  storyId: string;
  input: SuggestInput;
  idempotencyKey?: string;
  ip?: string;
}): Promise<Outcome<{ correction: Correction }>> {
  const { deps, actor, input } = props;
  return idempotentWrite(
    deps,
    actor,
    { key: props.idempotencyKey, fingerprint: ["POST correction", props.storyId, input] },
    async () => {
      const story = await getStory(deps, props.storyId);
      await assertMayPost(deps, actor, story.site_id);
      const quote = checkedPassage(story, input.quote);
      const evidence = checkedEvidence(input.evidenceUrl);
      const now = deps.clock.now();
      const verdict = await moderate(
        {
          deps,
          actor,
          story,
          settings: await moderationSettings(deps, story.site_id),
          body: input.body,
          parentId: null,
          now,
          ipHash: hashIp(deps, props.ip),
          // A nudge has nobody to answer it here: what would be nudged is held for the desk instead.
          confirm: true,
          editing: null,
        },
        CORRECTION_PHASES,
      );
      const row: CorrectionRow = {
        id: deps.ids.next(),
        site_id: story.site_id,
        story_id: story.id,
        author_id: actor.user.id,
        status: "open",
        body: verdict.body,
        quote_text: quote?.text ?? null,
        passage: quote?.passage ?? "",
        evidence_url: evidence,
        held: verdict.status === "pending" ? 1 : 0,
        reasons: JSON.stringify(verdict.reasons.map((r) => ({ code: r.code, message: r.message }))),
        note: null,
        decline_reason: null,
        decided_by: null,
        merged_into: null,
        created_at: now,
        decided_at: null,
      };
      return row;
    },
    async (trx, row) => {
      await store.insertCorrection(trx, row);
      return { statusCode: 201, body: { correction: presentCorrection(row) } };
    },
  );
}

function requireNewsroom(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  const sites = sitesWhere(actor, "staff");
  if (sites !== "all" && sites.length === 0)
    throw forbidden("Only the newsroom and moderators see suggested corrections.");
  return actor;
}

/** The desk's Corrections queue for the sites where the caller is staff or moderator: oldest first. */
export async function listCorrections(props: {
  deps: Deps;
  actor: Actor | null;
  status: CorrectionStatus;
  storyId?: string;
  cursor?: string;
  limit: number;
}): Promise<{ items: DeskCorrection[]; nextCursor: string | null }> {
  const { deps, limit } = props;
  const actor = requireNewsroom(props.actor);
  const db = deps.store.read;
  const rows = await store.listPage(db, {
    status: props.status,
    siteIds: sitesWhere(actor, "staff"),
    storyId: props.storyId,
    after: props.cursor ? decodeTimeCursor("corrections", props.cursor) : undefined,
    limit,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeTimeCursor("corrections", last.created_at, last.id) : null;
  const storyIds = [...new Set(page.map((r) => r.story_id))];
  const stories = await store.storiesByIds(db, storyIds);
  const readerIds = [...new Set(page.map((r) => r.author_id))];
  const readers = await findUsersByIds(db, readerIds);
  const ctx = {
    config: deps.config,
    stories: new Map(stories.map((s) => [s.id, s])),
    readers: new Map(readers.map((u) => [u.id, u])),
    histories: await store.readerHistories(db, readerIds),
    groupSizes: await store.groupSizes(
      db,
      page.map((r) => ({ storyId: r.story_id, passage: r.passage })),
    ),
  };
  // Suggestions on the same passage stand together, at the place of the oldest on this page.
  const order = new Map<string, number>();
  page.forEach((r, i) => {
    if (!order.has(groupKey(r))) order.set(groupKey(r), i);
  });
  const grouped = page
    .map((r, i) => ({ r, i, g: order.get(groupKey(r)) ?? i }))
    .sort((a, b) => a.g - b.g || a.i - b.i)
    .map(({ r }) => presentDeskCorrection(ctx, r));
  return { items: grouped, nextCursor };
}

/**
 * Accepts (with the public correction note) or declines (with a private reason) a suggestion,
 * together with the other open suggestions on the same passage. Accepting puts the note on the
 * story, announces `story.corrected` (live and webhook) and tells each reader who suggested it.
 */
export async function decideCorrection(props: {
  deps: Deps;
  actor: Actor | null;
  id: string;
  action: "accept" | "decline";
  note: string;
  idempotencyKey?: string;
}): Promise<Outcome<{ correction: Correction }>> {
  const { deps, action } = props;
  const actor = props.actor;
  if (!actor) throw unauthenticated();
  const found = await store.findCorrection(deps.store.db, props.id);
  if (!found) throw notFound("Correction");
  if (!can(actor, "correct", siteSubject(found.site_id))) {
    throw forbidden("Only the newsroom and the site's moderators decide corrections.");
  }
  const note = normaliseText(props.note).trim();
  if (action === "accept" && note.length === 0) {
    throw badRequest(ErrorCodes.VALIDATION_FAILED, "Write the correction readers will see above the article.");
  }
  const now = deps.clock.now();
  const events = emitter(deps);
  // A retry with the same Idempotency-Key answers as the first time; another decision is a 409.
  const outcome = await idempotentWrite(
    deps,
    actor,
    { key: props.idempotencyKey, fingerprint: ["POST correction decision", found.id, action, note] },
    async () => found,
    async (trx) => ({
      statusCode: 200,
      body: { correction: presentCorrection(await decideInside(trx, found, actor)) },
    }),
  );
  events.committed();
  return outcome;

  async function decideInside(trx: Transaction<Database>, found: CorrectionRow, by: Actor): Promise<CorrectionRow> {
    const current = await store.findCorrection(trx, found.id);
    if (!current || current.status !== "open") {
      throw conflict(ErrorCodes.CONFLICT, "This suggestion has already been decided.");
    }
    const group = current.passage ? await store.openOnPassage(trx, current.story_id, current.passage) : [current];
    const others = group.filter((c) => c.id !== current.id).map((c) => c.id);
    const status = action === "accept" ? "accepted" : "declined";
    const change = {
      status,
      note: action === "accept" ? note : null,
      declineReason: action === "decline" ? note || null : null,
      by: by.user.id,
      at: now,
    } as const;
    await store.decide(trx, [current.id], { ...change, mergedInto: null });
    await store.decide(trx, others, { ...change, mergedInto: current.id });
    const row: CorrectionRow = {
      ...current,
      status,
      note: change.note,
      decline_reason: change.declineReason,
      decided_by: by.user.id,
      decided_at: now,
    };
    const readers = [...new Set(group.map((c) => c.author_id))];
    await announceDecision(trx, deps, events.emit, { row, readers, merged: others });
    return row;
  }
}

/** A story's public corrections, for `GET /api/v1/stories/:id` and the article pages. */
export async function storyCorrections(deps: Deps, storyId: string): Promise<StoryCorrection[]> {
  return (await store.acceptedOf(deps.store.read, storyId)).map(presentStoryCorrection);
}
