import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { notFound } from "../errors.js";
import { errors } from "../http/schemas.js";
import { DEFAULT_SITE_ID, listSites } from "../site/service.js";
import { presentUser } from "./presenter.js";
import { requestMeta } from "./request-meta.js";
import { SessionResponse } from "./schemas.js";
import { accountSettings } from "./settings.js";
import { exchangeSsoToken } from "./sso.js";

export const ssoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.post(
    "/api/v1/auth/sso",
    {
      schema: {
        tags: ["accounts"],
        summary: "Exchange a JWT signed by the publisher (HS256 secret or RS256/ES256 JWKS; aud = site id) for a session",
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 8192 }) }),
        response: { 200: SessionResponse, ...errors(400, 401, 503) },
      },
    },
    async (request) => {
      const session = await exchangeSsoToken(deps, request.body.token, requestMeta(request));
      return { user: presentUser(deps.config, session.user), token: session.token };
    },
  );

  // Public: the desk's sign-in screen asks before anyone is signed in. The URL is the
  // publisher's public login page, never a secret.
  app.get(
    "/api/v1/auth/sso/login-url",
    {
      schema: {
        tags: ["accounts"],
        summary: "The publisher's sign-in page for a site, if it has one (for signing in to the moderator's desk)",
        querystring: Type.Object({ siteId: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: {
          200: Type.Object({ siteId: Type.String(), siteName: Type.String(), loginUrl: Type.Union([Type.String(), Type.Null()]) }),
          ...errors(404),
        },
      },
    },
    async (request) => {
      const siteId = request.query.siteId ?? DEFAULT_SITE_ID;
      const site = (await listSites(deps)).find((s) => s.id === siteId);
      if (!site) throw notFound("Site");
      const settings = await accountSettings(deps, siteId);
      return { siteId, siteName: site.name, loginUrl: settings.sso.loginUrl ?? null };
    },
  );
};
