import { createHmac } from "node:crypto";
import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { rateLimited } from "../errors.js";
import { errors } from "../http/schemas.js";
import { accountSubject, authorize } from "./policies.js";
import { normaliseEmail } from "./service.js";
import { confirmPasswordReset, mailVerification, requestPasswordReset, verifyEmail } from "./verification.js";

const HOUR = 3600 * 1000;
const Token = Type.String({ minLength: 1, maxLength: 200 });
const Accepted = Type.Object({ accepted: Type.Boolean() });

/** E-mail verification and password reset: single-use links, valid for an hour. */
export const recoveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const limit = async (key: string, max: number) => {
    const hit = await deps.limiter.hit(key, max, HOUR, deps.clock.now());
    if (!hit.allowed) throw rateLimited(hit.retryAfterMs / 1000);
  };
  const keyOf = (value: string) => createHmac("sha256", deps.config.secret).update(value).digest("hex").slice(0, 32);

  app.post(
    "/api/v1/auth/verify/request",
    {
      schema: {
        tags: ["accounts"],
        summary: "Send (again) the link that confirms your e-mail address",
        response: { 202: Accepted, ...errors(401, 429) },
      },
    },
    async (request, reply) => {
      const actor = authorize(request.actor, "update", accountSubject(request.actor?.user.id ?? ""));
      await limit(`verify-mail:user:${actor.user.id}`, 5);
      const mailed = await mailVerification(deps, actor.user);
      if (!mailed.sent && mailed.retryAfterMs > 0) {
        throw rateLimited(mailed.retryAfterMs / 1000, "A link went to this address within the hour; look for it, or ask again later.");
      }
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    "/api/v1/auth/verify",
    {
      schema: {
        tags: ["accounts"],
        summary: "Confirm an e-mail address with the token from the mailed link",
        body: Type.Object({ token: Token }),
        response: { 200: Type.Object({ verified: Type.Boolean() }), ...errors(400, 429) },
      },
    },
    async (request) => {
      await limit(`verify:ip:${keyOf(request.ip)}`, 30);
      await verifyEmail(deps, request.body.token);
      return { verified: true };
    },
  );

  app.post(
    "/api/v1/auth/reset",
    {
      schema: {
        tags: ["accounts"],
        summary: "Mail a password-reset link (same answer whether or not the address has an account)",
        body: Type.Object({ email: Type.String({ maxLength: 320 }) }),
        response: { 202: Accepted, ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      const email = normaliseEmail(request.body.email);
      await limit(`reset:ip:${keyOf(request.ip)}`, 10);
      await limit(`reset:email:${keyOf(email)}`, 3);
      await requestPasswordReset(deps, email);
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    "/api/v1/auth/reset/confirm",
    {
      schema: {
        tags: ["accounts"],
        summary: "Choose a new password with the token from the mailed link; every session ends",
        body: Type.Object({ token: Token, password: Type.String({ maxLength: 1024 }) }),
        response: { 204: Type.Null(), ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      await limit(`reset-confirm:ip:${keyOf(request.ip)}`, 30);
      await confirmPasswordReset(deps, request.body.token, request.body.password);
      return reply.code(204).send(null);
    },
  );
};
