import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { errors } from "../http/schemas.js";
import { presentUser } from "./presenter.js";
import { requestMeta } from "./request-meta.js";
import { SessionResponse } from "./schemas.js";
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
};
