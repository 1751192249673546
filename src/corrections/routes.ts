import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { idempotencyKey, requireActor } from "../http/auth.js";
import { IdParams, errors } from "../http/schemas.js";
import { CorrectionSchema, DeskCorrectionSchema } from "../shared/corrections.js";
import { decideCorrection, listCorrections, suggestCorrection } from "./service.js";

const Headers = Type.Object({ "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) });

/** Corrections: readers suggest, the newsroom decides (the newsroom loop). */
export const correctionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.post(
    "/api/v1/stories/:id/corrections",
    {
      schema: {
        tags: ["corrections"],
        summary: "Suggest a correction to the story: a passage of the article, an explanation and an evidence link",
        params: IdParams,
        headers: Headers,
        body: Type.Object(
          {
            body: Type.String({ maxLength: 20_000, description: "What is wrong and what is right." }),
            quote: Type.Optional(
              Type.Object({ text: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
            ),
            evidenceUrl: Type.Optional(
              Type.String({ maxLength: 2000, description: "An http(s) link to the evidence." }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ correction: CorrectionSchema }), ...errors(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const outcome = await suggestCorrection({
        deps,
        actor: requireActor(request),
        storyId: request.params.id,
        input: request.body,
        idempotencyKey: idempotencyKey(request),
        ip: request.ip,
      });
      return reply.code(outcome.statusCode as 201).send(outcome.body);
    },
  );

  app.get(
    "/api/v1/moderation/corrections",
    {
      schema: {
        tags: ["corrections"],
        summary:
          "Suggested corrections for the sites where the caller is staff or moderator, oldest first, same passages together",
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal("open"), Type.Literal("accepted"), Type.Literal("declined")], { default: "open" }),
          ),
          storyId: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(DeskCorrectionSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const { status = "open", storyId, limit = 25, cursor } = request.query;
      return listCorrections({ deps, actor: request.actor, status, storyId, limit, cursor });
    },
  );

  // The same Idempotency-Key answers as the first time; any other second decision is a 409.
  app.post(
    "/api/v1/moderation/corrections/:id/decision",
    {
      schema: {
        tags: ["corrections"],
        summary:
          "Accept a suggestion with the public correction note, or decline it with a private reason (staff, moderator)",
        params: IdParams,
        headers: Headers,
        body: Type.Object(
          {
            action: Type.Union([Type.Literal("accept"), Type.Literal("decline")]),
            note: Type.String({
              maxLength: 4000,
              description: "On accept: the correction readers see. On decline: the newsroom's private reason.",
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ correction: CorrectionSchema }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const outcome = await decideCorrection({
        deps,
        actor: requireActor(request),
        id: request.params.id,
        action: request.body.action,
        note: request.body.note,
        idempotencyKey: idempotencyKey(request),
      });
      return reply.code(outcome.statusCode as 200).send(outcome.body);
    },
  );
};
