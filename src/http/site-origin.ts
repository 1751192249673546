import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { originWritesTo, siteIdOf } from "../site/service.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Routes whose `:id` is a story, or a comment (posting, editing, deleting, reacting, reporting, rating, following, deciding). */
const STORY_ROUTE = /\/stories\/:id(\/|$)/;
const COMMENT_ROUTE = /\/comments\/:id(\/|$)/;

function target(request: FastifyRequest): { story: string } | { comment: string } | undefined {
  const route = request.routeOptions.url ?? "";
  const id = (request.params as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string") return undefined;
  if (STORY_ROUTE.test(route)) return { story: id };
  if (COMMENT_ROUTE.test(route)) return { comment: id };
  return undefined;
}

/**
 * CORS admits the pages of every site Parley serves, whichever site a story belongs to (and
 * a simple request runs even when CORS refuses it: CORS only hides the answer). So a write from
 * a browser to a story or comment must come from a page of the site owning that story (or from
 * Parley's own pages: PUBLIC_URL, or the origin the request was sent to), else 403
 * ORIGIN_NOT_ALLOWED before the handler runs. Requests without an Origin header (servers, scripts) are not a browser page of another site:
 * they pass. An id that names nothing passes too, for the route's own 404. It runs after the
 * CORS hook, so a page of another site Parley serves can read why it was refused.
 */
export function installSiteOriginCheck(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const origin = request.headers.origin;
    if (origin === undefined || SAFE_METHODS.has(request.method)) return;
    const of = target(request);
    // A page Parley served itself, under whatever name it was reached (the desk, the article pages).
    if (!of || origin === `${request.protocol}://${request.host}`) return;
    const siteId = await siteIdOf(app.deps, of);
    if (siteId === undefined || (await originWritesTo(app.deps, origin, siteId))) return;
    throw new AppError(403, ErrorCodes.ORIGIN_NOT_ALLOWED, "This story belongs to another site: its comments can be written only from that site's pages.", {
      origin,
    });
  });
}
