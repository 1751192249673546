import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { notFound } from "../errors.js";
import { requireActor } from "../http/auth.js";
import { errors } from "../http/schemas.js";
import { abilitiesOf } from "./abilities.js";
import { avatarSvg } from "./avatar.js";
import { dataRoutes } from "./data-routes.js";
import { oidcRoutes } from "./oidc-routes.js";
import { accountPageRoutes } from "./pages.js";
import { accountsAdminRoutes } from "./admin-routes.js";
import { identityAdminRoutes } from "./identity-routes.js";
import { accountSubject, authorize } from "./policies.js";
import { presentSelf, presentSession, presentUser } from "./presenter.js";
import { recoveryRoutes } from "./recovery-routes.js";
import { MeResponse, SessionResponse } from "./schemas.js";
import { requestMeta } from "./request-meta.js";
import { login, logout, logoutEverywhere, signup } from "./service.js";
import { ssoRoutes } from "./sso-routes.js";
import * as store from "./store.js";

const Credentials = Type.Object({
  email: Type.String({ maxLength: 320 }),
  password: Type.String({ maxLength: 1024 }),
});

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.post(
    "/api/v1/auth/signup",
    {
      schema: {
        tags: ["accounts"],
        summary: "Create a local account and sign in (a known e-mail gets the same answer; its owner gets a mail)",
        body: Type.Object({ ...Credentials.properties, displayName: Type.String({ maxLength: 200 }) }),
        response: { 201: SessionResponse, ...errors(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const session = await signup(deps, request.body, requestMeta(request));
      return reply.code(201).send({ user: presentUser(deps.config, session.user), token: session.token });
    },
  );

  app.post(
    "/api/v1/auth/login",
    {
      schema: {
        tags: ["accounts"],
        summary: "Sign in with e-mail and password (5 failures in 15 minutes per account or IP: 429)",
        body: Credentials,
        response: { 200: SessionResponse, ...errors(400, 401, 429) },
      },
    },
    async (request) => {
      const session = await login(deps, request.body, requestMeta(request));
      return { user: presentUser(deps.config, session.user), token: session.token };
    },
  );

  app.post(
    "/api/v1/auth/logout",
    { schema: { tags: ["accounts"], summary: "End this session", response: { 204: Type.Null(), ...errors(401) } } },
    async (request, reply) => {
      await logout(deps, requireActor(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/auth/logout-everywhere",
    {
      schema: { tags: ["accounts"], summary: "End every session of this account", response: { 204: Type.Null(), ...errors(401) } },
    },
    async (request, reply) => {
      await logoutEverywhere(deps, requireActor(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/me",
    {
      schema: {
        tags: ["accounts"],
        summary: "The signed-in user, what they may do, and their sessions",
        response: { 200: MeResponse, ...errors(401) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const actor = authorize(request.actor, "read", accountSubject(request.actor?.user.id ?? ""));
      const sessions = await store.sessionsOf(deps.store.read, actor.user.id, deps.clock.now());
      return {
        user: presentSelf(deps.config, actor.user),
        abilities: await abilitiesOf(deps, actor),
        sessions: sessions.map((s) => ({ ...presentSession(s), current: s.id === actor.sessionId })),
      };
    },
  );

  app.delete(
    "/api/v1/me/sessions/:sessionId",
    {
      schema: {
        tags: ["accounts"],
        summary: "End one of your sessions (another device)",
        params: Type.Object({ sessionId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const actor = authorize(request.actor, "update", accountSubject(request.actor?.user.id ?? ""));
      if (!(await store.deleteSessionOf(deps.store.db, actor.user.id, request.params.sessionId))) throw notFound("Session");
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/avatars/:file",
    { schema: { hide: true, params: Type.Object({ file: Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}\\.svg$" }) }) } },
    async (request, reply) =>
      reply
        .header("content-type", "image/svg+xml")
        .header("cache-control", "public, max-age=86400")
        .send(avatarSvg(request.params.file.slice(0, -4))),
  );

  await app.register(recoveryRoutes);
  await app.register(dataRoutes);
  await app.register(ssoRoutes);
  await app.register(oidcRoutes);
  await app.register(accountPageRoutes);
  await app.register(accountsAdminRoutes);
  await app.register(identityAdminRoutes);
};
