import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { requireActor } from "../http/auth.js";
import { SelfSchema, UserSchema, errors } from "../http/schemas.js";
import { presentSelf, presentUser } from "./presenter.js";
import { login, logout, signup } from "./service.js";
import { avatarSvg } from "./avatar.js";

const Credentials = Type.Object({
  email: Type.String({ maxLength: 320 }),
  password: Type.String({ maxLength: 1024 }),
});
const SessionResponse = Type.Object({ user: UserSchema, token: Type.String() });

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.post(
    "/api/v1/auth/signup",
    {
      schema: {
        tags: ["accounts"],
        summary: "Create a local account and sign in",
        body: Type.Object({ ...Credentials.properties, displayName: Type.String({ maxLength: 200 }) }),
        response: { 201: SessionResponse, ...errors(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const session = await signup(deps, request.body);
      return reply.code(201).send({ user: presentUser(deps.config, session.user), token: session.token });
    },
  );

  app.post(
    "/api/v1/auth/login",
    {
      schema: {
        tags: ["accounts"],
        summary: "Sign in with e-mail and password",
        body: Credentials,
        response: { 200: SessionResponse, ...errors(400, 401, 429) },
      },
    },
    async (request) => {
      const session = await login(deps, request.body);
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

  app.get(
    "/api/v1/me",
    {
      schema: {
        tags: ["accounts"],
        summary: "The signed-in user",
        response: { 200: Type.Object({ user: SelfSchema }), ...errors(401) },
      },
    },
    async (request) => ({ user: presentSelf(deps.config, requireActor(request).user) }),
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
};
