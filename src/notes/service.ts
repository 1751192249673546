/**
 * Reader context notes on the article (issue 20 item 4): readers with some history write a short
 * note with sources on the story or on a passage of it; others rate it. The note is shown on the
 * article only when the bridging model finds it helpful across readers who usually disagree
 * (`src/bridging/notes.ts`, applied at each refit by `applyNoteScores`).
 */
import type { Actor } from "../accounts/actor.js";
import { hasRoleOn, moderatesSomewhere } from "../accounts/actor.js";
import { assertMayPost } from "../accounts/verification.js";
import { NOTE_RATING_VALUES, type NoteRatingValue, type ScoredNote } from "../bridging/notes.js";
import { checkQuote } from "../comments/quote.js";
import type { StoredQuote } from "../comments/presenter.js";
import { hashIp } from "../comments/service.js";
import type { Deps } from "../deps.js";
import { badRequest, forbidden, notFound } from "../errors.js";
import { webAddress } from "../web-address.js";
import { idempotentWrite, type Outcome } from "../idempotency.js";
import { withEvents } from "../events/spine.js";
import { moderate } from "../moderation/phases/index.js";
import { type ModerationSettings, moderationSettings } from "../moderation/settings.js";
import { ErrorCodes } from "../shared/codes.js";
import { listSites } from "../site/service.js";
import type { NoteRow } from "../store/schema.js";
import { getStory } from "../stories/service.js";
import * as store from "./store.js";

export const MAX_NOTE_LENGTH = 1000;
export const MAX_SOURCES = 5;

/** Who may write and rate notes on a site: published comments needed (`moderation.notes` in the site's settings). */
export type NoteSettings = ModerationSettings["notes"];

export async function noteSettings(deps: Deps, siteId: string): Promise<NoteSettings> {
  return (await moderationSettings(deps, siteId)).notes;
}

export interface PresentedNote {
  id: string;
  storyId: string;
  body: string;
  quote?: { text: string };
  sources: string[];
  status: NoteRow["status"];
  createdAt: string;
  /** The viewer's own rating, for notes they may rate. */
  viewerRating?: NoteRatingValue;
  /** Only to the author and moderators: the pipeline's verdict while it is not published. */
  moderation?: NoteRow["moderation"];
}

const RATING_OF: Record<number, NoteRatingValue> = { 1: "helpful", 0.5: "somewhat_helpful", 0: "not_helpful" };

function present(row: NoteRow, extra: { viewerRating?: number; withModeration?: boolean } = {}): PresentedNote {
  const quote = row.quote ? (JSON.parse(row.quote) as StoredQuote) : null;
  return {
    id: row.id,
    storyId: row.story_id,
    body: row.body,
    ...(quote ? { quote: { text: quote.text } } : {}),
    sources: JSON.parse(row.sources) as string[],
    status: row.status,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    ...(extra.viewerRating !== undefined ? { viewerRating: RATING_OF[extra.viewerRating] } : {}),
    ...(extra.withModeration ? { moderation: row.moderation } : {}),
  };
}

/** http(s) addresses only, each once; a note needs at least one. */
function checkedSources(sources: string[]): string[] {
  const out: string[] = [];
  for (const raw of sources) {
    const href = webAddress(raw, "A source");
    if (!out.includes(href)) out.push(href);
  }
  if (out.length === 0) throw badRequest(ErrorCodes.VALIDATION_FAILED, "A note needs at least one source: link what shows the context.");
  if (out.length > MAX_SOURCES) throw badRequest(ErrorCodes.VALIDATION_FAILED, `A note can cite up to ${MAX_SOURCES} sources.`);
  return out;
}

async function assertHistory(deps: Deps, actor: Actor, siteId: string, needed: number, doing: string): Promise<void> {
  if (hasRoleOn(actor, siteId, "staff")) return;
  const have = await store.publishedCommentCount(deps.store.read, actor.user.id, siteId, needed);
  if (have < needed) {
    throw forbidden(
      `Readers ${doing} once they have ${needed} published comment${needed === 1 ? "" : "s"} on this site; you have ${have}.`,
    );
  }
}

/** A reader writes a note; it runs through the same moderation phases as a comment. */
export async function writeNote(props: {
  deps: Deps;
  actor: Actor;
  storyId: string;
  input: { body: string; quote?: { text: string }; sources: string[] };
  idempotencyKey?: string;
  ip?: string;
}): Promise<Outcome<{ note: PresentedNote }>> {
  const { deps, actor, input } = props;
  return idempotentWrite(
    deps,
    actor,
    { key: props.idempotencyKey, fingerprint: ["POST note", props.storyId, input] },
    async () => {
      const story = await getStory(deps, props.storyId);
      await assertMayPost(deps, actor, story.site_id);
      const settings = await noteSettings(deps, story.site_id);
      await assertHistory(deps, actor, story.site_id, settings.minPublishedToWrite, "can add context notes");
      const sources = checkedSources(input.sources);
      const now = deps.clock.now();
      const verdict = await moderate({
        deps,
        actor,
        story,
        settings: await moderationSettings(deps, story.site_id),
        body: input.body,
        parentId: null,
        now,
        ipHash: hashIp(deps, props.ip),
        // A note is not nudged: what would have been a nudge holds it for a moderator.
        confirm: true,
        editing: null,
      });
      if ([...verdict.body].length > MAX_NOTE_LENGTH) {
        throw badRequest(ErrorCodes.VALIDATION_FAILED, `A note is at most ${MAX_NOTE_LENGTH} characters long.`);
      }
      const quote = input.quote ? await checkQuote(deps.store.db, story, { source: "story", text: input.quote.text }) : null;
      const row: NoteRow = {
        id: deps.ids.next(),
        site_id: story.site_id,
        story_id: story.id,
        author_id: actor.user.id,
        body: verdict.body,
        quote: quote ? JSON.stringify(quote) : null,
        sources: JSON.stringify(sources),
        moderation: verdict.status === "published" ? "published" : "pending",
        reasons: JSON.stringify(verdict.reasons),
        status: "needs_ratings",
        rating_count: 0,
        created_at: now,
        status_changed_at: now,
      };
      return row;
    },
    async (trx, row) => {
      await store.insertNote(trx, row);
      return { statusCode: 201, body: { note: present(row, { withModeration: true }) } };
    },
  );
}

/** A reader rates a published note; rating again changes the rating. */
export async function rateNote(props: { deps: Deps; actor: Actor; noteId: string; value: NoteRatingValue }) {
  const { deps, actor } = props;
  const note = await store.findNote(deps.store.db, props.noteId);
  if (!note || note.moderation !== "published") throw notFound("Note");
  if (note.author_id === actor.user.id) throw forbidden("You cannot rate your own note.");
  const settings = await noteSettings(deps, note.site_id);
  await assertHistory(deps, actor, note.site_id, settings.minPublishedToRate, "can rate context notes");
  await store.upsertRating(deps.store.db, {
    noteId: note.id,
    userId: actor.user.id,
    siteId: note.site_id,
    value: NOTE_RATING_VALUES[props.value],
    now: deps.clock.now(),
  });
  return { noteId: note.id, rating: props.value };
}

export async function unrateNote(props: { deps: Deps; actor: Actor; noteId: string }): Promise<void> {
  await store.deleteRating(props.deps.store.db, props.noteId, props.actor.user.id);
}

/**
 * A story's notes as the viewer may see them: `shown` (the model found them helpful across the
 * divide) for everyone; `pending` (not yet rated enough, or not helpful) only to readers who may
 * rate them, with their own rating; the viewer's own held notes only to them.
 */
export async function listNotes(deps: Deps, actor: Actor | null, storyId: string) {
  const story = await getStory(deps, storyId);
  const rows = await store.publishedNotesOfStory(deps.store.read, story.id);
  const shown = rows.filter((r) => r.status === "helpful");
  let pending: PresentedNote[] = [];
  if (actor) {
    const settings = await noteSettings(deps, story.site_id);
    const staff = hasRoleOn(actor, story.site_id, "staff");
    const have = staff ? Infinity : await store.publishedCommentCount(deps.store.read, actor.user.id, story.site_id, settings.minPublishedToRate);
    if (have >= settings.minPublishedToRate) {
      const open = rows.filter((r) => r.status !== "helpful");
      const mine = await store.ratingsBy(deps.store.read, actor.user.id, rows.map((r) => r.id));
      pending = open.filter((r) => r.author_id !== actor.user.id).map((r) => present(r, { viewerRating: mine.get(r.id) }));
      return { shown: shown.map((r) => present(r, { viewerRating: mine.get(r.id) })), pending };
    }
  }
  return { shown: shown.map((r) => present(r)), pending };
}

/** Held notes on the moderator's sites, oldest first. */
export async function heldNotesFor(deps: Deps, actor: Actor) {
  const sites = (await listSites(deps)).filter((s) => hasRoleOn(actor, s.id, "moderator")).map((s) => s.id);
  if (sites.length === 0) throw forbidden("Only moderators see held notes.");
  const rows = await store.heldNotes(deps.store.read, sites, 100);
  return { items: rows.map((r) => present(r, { withModeration: true })) };
}

/** A moderator publishes or rejects a held note. */
export async function decideNote(props: { deps: Deps; actor: Actor; noteId: string; action: "approve" | "reject" }) {
  const { deps, actor } = props;
  if (!moderatesSomewhere(actor)) throw forbidden("Only moderators decide held notes.");
  const note = await store.findNote(deps.store.db, props.noteId);
  if (!note) throw notFound("Note");
  if (!hasRoleOn(actor, note.site_id, "moderator")) throw forbidden("Only the site's moderators decide held notes.");
  const moderation = props.action === "approve" ? "published" : "rejected";
  await store.setModeration(deps.store.db, note.id, moderation);
  return { note: present({ ...note, moderation }, { withModeration: true }) };
}

/**
 * Stores a refit's verdicts on a site's notes. A change of status (a note now shown, or no
 * longer) is a `note.updated` live event on its story, so open articles follow without a reload.
 */
export async function applyNoteScores(deps: Deps, siteId: string, scored: ReadonlyMap<string, ScoredNote>): Promise<number> {
  const notes = await store.publishedNotesOfSite(deps.store.db, siteId);
  const now = deps.clock.now();
  let changed = 0;
  await withEvents(deps, async (trx, emit) => {
    for (const note of notes) {
      const result = scored.get(note.id);
      const status = result?.status ?? "needs_ratings";
      const ratingCount = result?.score?.ratingCount ?? 0;
      if (status === note.status) {
        if (ratingCount !== Number(note.rating_count)) await store.setRatingCount(trx, note.id, ratingCount);
        continue;
      }
      changed++;
      await store.setStatus(trx, note.id, { status, ratingCount, now });
      await emit(trx, { type: "note.status_changed", storyId: note.story_id, noteId: note.id, status });
    }
  });
  return changed;
}

/** The ids of a site's notes shown after the previous refit: the hysteresis input. */
export async function shownNotes(deps: Deps, siteId: string): Promise<Set<string>> {
  const notes = await store.publishedNotesOfSite(deps.store.read, siteId);
  return new Set(notes.filter((n) => n.status === "helpful").map((n) => n.id));
}

export { noteRatingsForFit } from "./store.js";
