import type { Actor } from "../accounts/actor.js";
import { hasRole } from "../accounts/actor.js";
import { can, storySubject } from "../accounts/policies.js";
import type { Deps } from "../deps.js";
import { AppError, forbidden, notFound, rateLimited } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { DEFAULT_SITE_ID, listSites, siteForOrigin } from "../site/service.js";
import type { Commenting, NewStory, StoryMode, StoryRow, StoryStatus } from "../store/schema.js";
import { normaliseSection } from "../policy/schema.js";
import * as store from "./store.js";
import { audit } from "../audit/log.js";
import { withEvents } from "../events/spine.js";
import { canonicalStoryUrl } from "./url.js";
import { createHmac } from "node:crypto";
import { abuseLimits } from "../accounts/settings.js";
import type { Site } from "../site/service.js";
import { storyQueryParams, titleFromPath, titleSignedBy } from "./trust.js";

export interface StoryMetadata {
  title?: string;
  author?: string;
  publishedAt?: string;
  bodyText?: string;
  /** The newsroom section; normalised (src/policy/schema.ts). */
  section?: string;
}

/** A story's own policy settings (null: its section's or site's). */
export interface StoryPolicyInput {
  closeAfterDays?: number | null;
  commenting?: Commenting | null;
}

function parseTime(value: string | undefined): number | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

function newStory(deps: Deps, siteId: string, url: URL, meta: StoryMetadata): NewStory {
  const now = deps.clock.now();
  return {
    id: deps.ids.next(),
    site_id: siteId,
    url: url.toString(),
    title: (meta.title?.trim() || titleFromPath(url)).slice(0, 300),
    author: meta.author?.trim().slice(0, 200) || null,
    published_at: parseTime(meta.publishedAt),
    body_text: meta.bodyText ?? null,
    status: "open",
    premod: 0,
    section: normaliseSection(meta.section),
    comment_count: 0,
    created_at: now,
    updated_at: now,
  };
}

/** What a resolve knows of its caller: the address (for the creation limit) and the title's signature, if the page has one. */
export interface ResolveContext {
  ip?: string;
  titleSignature?: string;
  /** Parley's own article pages: the title comes from the article's front matter. */
  trusted?: boolean;
}

/** The site that may embed `url`, and the URL as that site's stories are keyed. */
async function siteAndUrl(deps: Deps, rawUrl: string): Promise<{ site: Site; url: URL }> {
  const origin = canonicalStoryUrl(rawUrl).origin;
  const site =
    (await siteForOrigin(deps, origin)) ??
    (origin === deps.config.publicUrl ? (await listSites(deps)).find((s) => s.id === DEFAULT_SITE_ID) : undefined);
  if (!site) {
    throw new AppError(403, ErrorCodes.ORIGIN_NOT_ALLOWED, "This site is not allowed to embed comments.", { origin });
  }
  return { site, url: canonicalStoryUrl(rawUrl, storyQueryParams(site)) };
}

/** A URL as its story is keyed (the site's kept query parameters only); the URL as given when no site embeds it. */
export async function storyUrlOf(deps: Deps, rawUrl: string): Promise<string> {
  try {
    return (await siteAndUrl(deps, rawUrl)).url.toString();
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCodes.ORIGIN_NOT_ALLOWED) return canonicalStoryUrl(rawUrl).toString();
    throw error;
  }
}

/**
 * The story for a page URL, created on first use when the page's origin may embed a site.
 * A page can claim any title, so its title is taken only when signed with one of the site's
 * SSO secrets (`titleSignature`, see docs/EMBED.md); otherwise the story is titled by its
 * URL's path, which is what mails and the desk then show, until an admin or a signed page
 * names it. New stories per address are limited (`storiesPerAddressPerHour`).
 */
export async function resolveStory(deps: Deps, rawUrl: string, meta: StoryMetadata = {}, context: ResolveContext = {}): Promise<StoryRow> {
  const { site, url } = await siteAndUrl(deps, rawUrl);
  const trusted = meta.title !== undefined && (context.trusted === true || titleSignedBy(site, url.toString(), meta.title, context.titleSignature));
  const claimed = { ...meta, title: trusted ? meta.title : undefined };
  const existing = await store.findStoryByUrl(deps.store.read, site.id, url.toString());
  if (existing) {
    // Parley's own article pages are trusted: their front matter's section is the story's.
    const section = normaliseSection(meta.section);
    if (context.trusted === true && section !== null && section !== existing.section) {
      await store.updateStory(deps.store.db, existing.id, { section, updated_at: deps.clock.now() });
      existing.section = section;
    }
    // A signed title replaces the path a story was first given by an unsigned page.
    if (trusted && claimed.title && existing.title === titleFromPath(url) && existing.title !== claimed.title.trim()) {
      await store.updateStory(deps.store.db, existing.id, { title: claimed.title.trim().slice(0, 300), updated_at: deps.clock.now() });
      return { ...existing, title: claimed.title.trim().slice(0, 300) };
    }
    return existing;
  }
  const limit = (await abuseLimits(deps)).storiesPerAddressPerHour;
  const key = `stories:${createHmac("sha256", deps.config.secret).update(context.ip ?? "unknown").digest("hex").slice(0, 32)}`;
  const hit = await deps.limiter.hit(key, limit, 3600_000, deps.clock.now());
  if (!hit.allowed) throw rateLimited(hit.retryAfterMs / 1000, "Too many new threads from here in the last hour; try again later.");
  return insertStory(deps, newStory(deps, site.id, url, claimed));
}

/** Inserts a story once; the insert that creates it also enqueues `story.created` in its transaction. */
async function insertStory(deps: Deps, story: NewStory): Promise<StoryRow> {
  return withEvents(deps, async (trx, emit) => {
    const stored = await store.insertStoryOnce(trx, story);
    if (stored.id === story.id) await emit(trx, { type: "story.created", story: stored });
    return stored;
  });
}

export async function getStory(deps: Deps, id: string): Promise<StoryRow> {
  const story = await store.findStory(deps.store.read, id);
  if (!story) throw notFound("Story");
  return story;
}

export async function createStory(
  deps: Deps,
  actor: Actor | null,
  input: StoryMetadata & StoryPolicyInput & { url: string; siteId?: string },
): Promise<StoryRow> {
  if (!hasRole(actor, "admin")) throw forbidden("Only admins create stories directly.");
  const siteId = input.siteId ?? DEFAULT_SITE_ID;
  if (!(await listSites(deps)).some((s) => s.id === siteId)) throw notFound("Site");
  return insertStory(deps, {
    ...newStory(deps, siteId, canonicalStoryUrl(input.url), input),
    close_after_days: input.closeAfterDays ?? null,
    commenting: input.commenting ?? null,
  });
}

export async function changeStory(
  deps: Deps,
  actor: Actor | null,
  id: string,
  input: { status?: StoryStatus; premod?: boolean; title?: string; section?: string | null; mode?: StoryMode } & StoryPolicyInput,
): Promise<StoryRow> {
  const current = await getStory(deps, id);
  if (!can(actor, "change", storySubject(current))) throw forbidden("Only moderators of this site change its stories.");
  await withEvents(deps, async (trx, emit) => {
    await store.updateStory(trx, id, {
      ...(input.status ? { status: input.status } : {}),
      ...(input.premod === undefined ? {} : { premod: input.premod ? 1 : 0 }),
      ...(input.title ? { title: input.title.trim().slice(0, 300) } : {}),
      ...(input.mode ? { mode: input.mode } : {}),
      ...(input.section === undefined ? {} : { section: normaliseSection(input.section) }),
      ...(input.closeAfterDays === undefined ? {} : { close_after_days: input.closeAfterDays }),
      ...(input.commenting === undefined ? {} : { commenting: input.commenting }),
      updated_at: deps.clock.now(),
    });
    const changed = await store.findStory(trx, id);
    if (changed) await emit(trx, { type: "story.updated", story: changed });
    if (changed && actor) {
      await audit(deps, trx, {
        siteId: current.site_id,
        actorId: actor.user.id,
        action: "story.update",
        targetType: "story",
        targetId: id,
        before: policyFields(current),
        after: policyFields(changed),
      });
    }
  });
  return getStory(deps, id);
}

/** What a story change is audited by. */
function policyFields(story: StoryRow) {
  return {
    status: story.status,
    premod: story.premod === 1,
    title: story.title,
    section: story.section,
    closeAfterDays: story.close_after_days,
    commenting: story.commenting,
    mode: story.mode,
  };
}
