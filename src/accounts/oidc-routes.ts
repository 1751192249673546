import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { UserSchema, errors } from "../http/schemas.js";
import { finishOidcLogin, startOidcLogin } from "./oidc.js";
import { checkedOpenerOrigin, sendHandoff } from "./pages.js";
import { presentUser } from "./presenter.js";
import { requestMeta } from "./request-meta.js";

const Provider = Type.Object({ provider: Type.String({ minLength: 1, maxLength: 40, pattern: "^[a-z0-9-]+$" }) });

export const oidcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.get(
    "/api/v1/auth/oidc/providers",
    {
      schema: {
        tags: ["accounts"],
        summary: "The OpenID Connect providers one may sign in with",
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), label: Type.String() })) }) },
      },
    },
    async () => ({ items: deps.config.oidcProviders.map((p) => ({ name: p.name, label: p.label })) }),
  );

  app.get(
    "/api/v1/auth/oidc/:provider/start",
    {
      schema: {
        tags: ["accounts"],
        summary: "Start signing in with a provider (authorization code + PKCE, state, nonce); `popup` is the opener's origin",
        params: Provider,
        querystring: Type.Object({ popup: Type.Optional(Type.String({ maxLength: 300 })) }),
        response: { 302: Type.Null(), ...errors(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const opener = request.query.popup === undefined ? null : await checkedOpenerOrigin(deps, request.query.popup);
      const url = await startOidcLogin(deps, request.params.provider, opener);
      return reply.header("cache-control", "no-store").redirect(url.toString(), 302);
    },
  );

  app.get(
    "/api/v1/auth/oidc/:provider/callback",
    {
      schema: {
        tags: ["accounts"],
        summary: "Where the provider sends the reader back; answers a page that hands the session to the opener (or JSON when asked)",
        params: Provider,
        querystring: Type.Record(Type.String(), Type.String({ maxLength: 4096 })),
        response: {
          200: {
            description: "The new session: as JSON when the request accepts it, else a page that hands it to the opener",
            content: {
              "application/json": { schema: Type.Object({ user: UserSchema, token: Type.String() }) },
              "text/html": { schema: Type.String({ description: "A page that posts the session to the opening window and closes." }) },
            },
          },
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const url = new URL(request.url, deps.config.publicUrl);
      const { session, openerOrigin } = await finishOidcLogin(deps, request.params.provider, url, requestMeta(request));
      const body = { user: presentUser(deps.config, session.user), token: session.token };
      if ((request.headers.accept ?? "").includes("application/json")) return reply.header("cache-control", "no-store").send(body);
      return sendHandoff(reply, openerOrigin ?? deps.config.publicUrl, body);
    },
  );
};
