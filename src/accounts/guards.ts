import { storySection } from "./store.js";
import type { FastifyRequest } from "fastify";
import { findComment } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { AppError, forbidden, unauthenticated } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { type Actor, type SiteScope, sectionLimits, sitesWhere } from "./actor.js";
import { type ActionOn, type Subjects, authorize, commentSubject, installation, siteSubject } from "./policies.js";

function signedIn(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/** A moderator of `siteId`, or (without a site) of at least one site. */
export function requireModeratorOf(request: FastifyRequest, siteId?: string): Actor {
  const actor = signedIn(request);
  if (siteId !== undefined) return authorize(actor, "moderate", siteSubject(siteId));
  const sites = sitesWhere(actor, "moderator");
  if (sites !== "all" && sites.length === 0) throw forbidden("Only moderators can do this.");
  return actor;
}

/** An admin of `siteId`, or (without a site) of the whole installation. */
export function requireAdminOf(request: FastifyRequest, siteId?: string): Actor {
  const actor = signedIn(request);
  if (siteId !== undefined) return authorize(actor, "administer", siteSubject(siteId));
  return authorize(actor, "manageSites", installation);
}

/**
 * The sites a list (queue, counts, stories, statistics, audit log) covers: the one asked
 * for when the actor moderates it (403 otherwise), else every site the actor moderates.
 */
export function moderatedSites(actor: Actor, requested: string | undefined): SiteScope {
  if (requested !== undefined) {
    authorize(actor, "moderate", siteSubject(requested));
    return [requested];
  }
  const sites = sitesWhere(actor, "moderator");
  if (sites !== "all" && sites.length === 0) throw forbidden("Only moderators can do this.");
  return sites;
}

/** Whether a row of `siteId` is inside the scope (a null site is installation-wide: every site only). */
export function inScope(scope: SiteScope, siteId: string | null): boolean {
  return scope === "all" || (siteId !== null && scope.includes(siteId));
}

/**
 * The one site an action on a user concerns (a site ban, a note, a message): what was asked
 * for, else the only site a single-site moderator moderates; null (every site) for a
 * moderator of every site who named none. A moderator of several sites must choose.
 */
export function siteOfAction(actor: Actor, requested: string | undefined): string | null {
  if (requested !== undefined) return requested;
  const sites = sitesWhere(actor, "moderator");
  if (sites === "all") return null;
  if (sites.length === 1) return sites[0];
  if (sites.length === 0) throw forbidden("Only moderators can do this.");
  throw new AppError(400, ErrorCodes.VALIDATION_FAILED, "You moderate several sites: choose one with siteId.", {
    sites,
  });
}

/** Checks an action on a comment by id; a missing comment is left for the use case to answer 404. */
export async function authorizeComment(
  deps: Deps,
  actor: Actor,
  action: ActionOn<Subjects["comment"]>,
  commentId: string,
): Promise<void> {
  const comment = await findComment(deps.store.read, commentId);
  if (!comment) return;
  authorize(actor, action, commentSubject(comment));
  // A moderator of some sections of the site acts only on comments in those sections.
  const sections = sectionLimits(actor).get(comment.site_id);
  if (sections && (action === "decide" || action === "remove") && comment.author_id !== actor.user.id) {
    const story = await storySection(deps.store.read, comment.story_id);
    if (!story?.section || !sections.includes(story.section)) {
      throw forbidden("This comment is in a section you do not moderate.");
    }
  }
}
