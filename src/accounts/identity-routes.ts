import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { forbidden, notFound, validationFailed } from "../errors.js";
import { requireActor } from "../http/auth.js";
import { IdParams, errors } from "../http/schemas.js";
import { type Actor, sitesWhere } from "./actor.js";
import { linkIdentity, presentIdentity, providerOf, unlinkIdentity } from "./identities.js";
import { authorize, identitySubject } from "./policies.js";
import * as store from "./store.js";

const Source = {
  siteId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: "The site whose publisher SSO signs the person in (identity sso:<siteId>)." }),
  ),
  issuer: Type.Optional(
    Type.String({ minLength: 1, maxLength: 2000, description: "The issuer URL of an OpenID Connect provider in PARLEY_OIDC_PROVIDERS." }),
  ),
  subject: Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: "^[^\\u0000-\\u001f\\u007f]+$",
    description: "The person's `sub`: the SSO token's claim, or the provider's ID token claim.",
  }),
};
const IdentitySchema = Type.Object({
  provider: Type.String({ description: '"sso:<site id>" or "oidc:<provider name>"' }),
  kind: Type.Union([Type.Literal("sso"), Type.Literal("oidc")]),
  siteId: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ description: "The OpenID Connect provider's name" })),
  issuer: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  subject: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
});

/** Linking is for admins, of every site or of some; which identities each may touch, the policy says. */
function requireSomeAdmin(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  const sites = sitesWhere(actor, "admin");
  if (sites !== "all" && sites.length === 0) throw forbidden("Only admins link sign-ins to accounts.");
  return actor;
}

/** Exactly one source: a site (publisher SSO) or an issuer (OpenID Connect). */
function sourceOf(input: { siteId?: string; issuer?: string }) {
  if (input.siteId !== undefined && input.issuer === undefined) return { siteId: input.siteId };
  if (input.issuer !== undefined && input.siteId === undefined) return { issuer: input.issuer };
  throw validationFailed("Give siteId (the publisher's SSO) or issuer (an OpenID Connect provider), not both.");
}

/**
 * Admins link a sign-in from elsewhere (the publisher's SSO subject, or an OpenID Connect
 * issuer and subject) to an existing account, and unlink it; both are audited.
 */
export const identityAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const target = async (actor: Actor, userId: string, input: { siteId?: string; issuer?: string }, action: "link" | "unlink") => {
    const source = sourceOf(input);
    const user = await store.findUserById(deps.store.db, userId);
    if (!user) throw notFound("User");
    const { provider, siteId } = await providerOf(deps, source);
    const holderHasRoles = user.role === "moderator" || user.role === "admin" || (await store.siteRolesOf(deps.store.db, user.id)).length > 0;
    authorize(actor, action, identitySubject(siteId, holderHasRoles));
    return { userId: user.id, provider, siteId };
  };

  app.get(
    "/api/v1/admin/users/:id/identities",
    {
      schema: {
        tags: ["admin"],
        summary: "The sign-ins from elsewhere linked to an account (site admins: their sites' SSO)",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(IdentitySchema) }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireSomeAdmin(request);
      const user = await store.findUserById(deps.store.read, request.params.id);
      if (!user) throw notFound("User");
      const sites = sitesWhere(actor, "admin");
      const rows = await store.identitiesOf(deps.store.read, user.id);
      const visible = rows.filter((r) => sites === "all" || sites.some((s) => r.provider === `sso:${s}`));
      return { items: visible.map((r) => presentIdentity(deps, r)) };
    },
  );

  app.post(
    "/api/v1/admin/users/:id/identities",
    {
      schema: {
        tags: ["admin"],
        summary:
          "Link a publisher SSO subject ({siteId, subject}) or an OpenID Connect identity ({issuer, subject}) to an existing account (audited)",
        params: IdParams,
        body: Type.Object(Source),
        response: { 200: IdentitySchema, 201: IdentitySchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireSomeAdmin(request);
      const change = await target(actor, request.params.id, request.body, "link");
      const { created, identity } = await linkIdentity({ deps, actor, ...change, subject: request.body.subject });
      return reply.code(created ? 201 : 200).send(identity);
    },
  );

  app.delete(
    "/api/v1/admin/users/:id/identities",
    {
      schema: {
        tags: ["admin"],
        summary:
          "Unlink a sign-in from an account (?siteId=&subject= or ?issuer=&subject=); its SSO or OIDC sessions end (audited)",
        params: IdParams,
        querystring: Type.Object(Source),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireSomeAdmin(request);
      const change = await target(actor, request.params.id, request.query, "unlink");
      await unlinkIdentity({ deps, actor, ...change, subject: request.query.subject });
      return reply.code(204).send(null);
    },
  );
};
