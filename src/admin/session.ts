import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { type Actor, hasRole, moderatesSomewhere, sitesWhere } from "../accounts/actor.js";
import { can, installation, siteSubject } from "../accounts/policies.js";
import { presentSelf } from "../accounts/presenter.js";
import { authenticate, login, logout } from "../accounts/service.js";
import { forbidden, unauthenticated, validationFailed } from "../errors.js";
import { requireActor } from "../http/auth.js";
import { clearSessionCookie, csrfToken, setSessionCookie } from "../http/cookies.js";
import { errors } from "../http/schemas.js";
import { DeskSessionSchema } from "../shared/moderation.js";
import { listSites } from "../site/service.js";

const DeskSession = DeskSessionSchema;
const REFUSED = "Only moderators and admins (and the newsroom, for its corrections and questions) can open the moderator's desk.";

/** Moderators, and the newsroom (staff) for its Corrections queue. */
const entersDesk = (actor: Actor) => {
  const newsroom = sitesWhere(actor, "staff");
  return moderatesSomewhere(actor) || newsroom === "all" || newsroom.length > 0;
};

/**
 * `/admin/session`: the moderator's desk signs in here and gets an HttpOnly cookie plus the
 * CSRF token its writes must carry. Moderators of every site and of single sites get in;
 * commenters are refused before a cookie is set.
 */
export const deskSessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const present = async (actor: Actor) => ({
    user: presentSelf(deps.config, actor.user),
    csrfToken: csrfToken(deps, actor.sessionId),
    desk: {
      sites: (await listSites(deps))
        .filter((site) => can(actor, "moderate", siteSubject(site.id)))
        .map((site) => ({ id: site.id, name: site.name, administer: can(actor, "administer", siteSubject(site.id)) })),
      everySite: hasRole(actor, "moderator"),
      manageSites: can(actor, "manageSites", installation),
      newsroomOnly: !moderatesSomewhere(actor),
    },
  });

  app.get(
    "/admin/session",
    {
      schema: {
        tags: ["admin"],
        summary: "The moderator signed in to the desk, with the CSRF token for writes",
        response: { 200: DeskSession, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const actor = requireActor(request);
      if (!entersDesk(actor)) throw forbidden(REFUSED);
      return await present(actor);
    },
  );

  app.post(
    "/admin/session",
    {
      schema: {
        tags: ["admin"],
        summary: "Sign in to the desk with e-mail and password, or with a session token from SSO or OIDC",
        body: Type.Object(
          {
            email: Type.Optional(Type.String({ maxLength: 320 })),
            password: Type.Optional(Type.String({ maxLength: 1024 })),
            token: Type.Optional(Type.String({ maxLength: 400 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: DeskSession, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { email, password, token } = request.body;
      let actor: Actor;
      let opened = false;
      if (token) {
        const found = await authenticate(deps, token);
        if (!found) throw unauthenticated("That sign-in has expired; sign in again.");
        actor = found;
      } else if (email !== undefined && password !== undefined) {
        const session = await login(deps, { email, password });
        const found = await authenticate(deps, session.token);
        if (!found) throw unauthenticated();
        actor = found;
        opened = true;
        if (entersDesk(actor)) setSessionCookie(deps, request, reply, session.token);
      } else {
        throw validationFailed("Send an e-mail and password, or a token.");
      }
      if (!entersDesk(actor)) {
        // A commenter's fresh session would be an unused credential; close it at once.
        if (opened) await logout(deps, actor);
        throw forbidden(REFUSED);
      }
      if (token) setSessionCookie(deps, request, reply, token);
      reply.header("cache-control", "no-store");
      return await present(actor);
    },
  );

  app.delete(
    "/admin/session",
    {
      schema: { tags: ["admin"], summary: "Sign out of the desk", response: { 204: Type.Null(), ...errors(401, 403) } },
    },
    async (request, reply) => {
      await logout(deps, requireActor(request));
      clearSessionCookie(deps, request, reply);
      return reply.code(204).send(null);
    },
  );
};
