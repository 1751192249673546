import type { FastifyRequest } from "fastify";
import { findComment } from "../comments/store.js";
import type { Deps } from "../deps.js";
import { AppError, forbidden, unauthenticated } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { type Actor, sitesWhere } from "./actor.js";
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
 * The site a list (queue, audit log) is limited to: what was asked for when the actor
 * moderates it, the one site a single-site moderator moderates, nothing for a moderator of all.
 */
export function moderatedSiteFilter(actor: Actor, requested: string | undefined): string | undefined {
  const sites = sitesWhere(actor, "moderator");
  if (sites === "all") return requested;
  if (requested !== undefined) return authorize(actor, "moderate", siteSubject(requested)) && requested;
  if (sites.length === 1) return sites[0];
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
  if (comment) authorize(actor, action, commentSubject(comment));
}
