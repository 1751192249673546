import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { idempotencyKey, requireActor } from "../http/auth.js";
import { IdParams, errors } from "../http/schemas.js";
import { react, unreact } from "./service.js";

const State = Type.Object({
  reactions: Type.Record(Type.String(), Type.Integer()),
  viewerReactions: Type.Array(Type.String()),
});

export const reactionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.post(
    "/api/v1/comments/:id/reactions",
    {
      schema: {
        tags: ["reactions"],
        summary: "React to a comment",
        params: IdParams,
        body: Type.Object({ kind: Type.String({ maxLength: 32 }) }),
        response: { 200: State, 201: State, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const outcome = await react({
        deps,
        actor: requireActor(request),
        commentId: request.params.id,
        kind: request.body.kind,
        idempotencyKey: idempotencyKey(request),
      });
      return reply.code(outcome.statusCode as 200 | 201).send(outcome.body);
    },
  );

  app.delete(
    "/api/v1/comments/:id/reactions/:kind",
    {
      schema: {
        tags: ["reactions"],
        summary: "Take a reaction back",
        params: Type.Object({ id: IdParams.properties.id, kind: Type.String({ maxLength: 32 }) }),
        response: { 200: State, ...errors(401, 404) },
      },
    },
    async (request) =>
      unreact({ deps, actor: requireActor(request), commentId: request.params.id, kind: request.params.kind }),
  );
};
