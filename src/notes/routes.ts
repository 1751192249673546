import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { idempotencyKey, requireActor } from "../http/auth.js";
import { IdParams, errors } from "../http/schemas.js";
import { NoteRatingSchema, NoteSchema } from "../shared/notes.js";
import { MAX_NOTE_LENGTH, MAX_SOURCES, decideNote, heldNotesFor, listNotes, rateNote, unrateNote, writeNote } from "./service.js";

const RatingValue = NoteRatingSchema;
export { NoteSchema };

/** Reader context notes on the article: write, rate, list; moderators decide held ones. */
export const noteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.post(
    "/api/v1/stories/:id/notes",
    {
      schema: {
        tags: ["notes"],
        summary: "Add a context note to a story (readers with some history on the site)",
        params: IdParams,
        headers: Type.Object({ "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        body: Type.Object({
          body: Type.String({ minLength: 1, maxLength: MAX_NOTE_LENGTH * 2 }),
          quote: Type.Optional(Type.Object({ text: Type.String({ minLength: 1, maxLength: 1000 }) })),
          sources: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: MAX_SOURCES * 2 }),
        }),
        response: {
          200: Type.Object({ note: NoteSchema }),
          201: Type.Object({ note: NoteSchema }),
          ...errors(400, 401, 403, 404, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const outcome = await writeNote({
        deps,
        actor: requireActor(request),
        storyId: request.params.id,
        input: request.body,
        idempotencyKey: idempotencyKey(request),
        ip: request.ip,
      });
      return reply.code(outcome.statusCode as 200 | 201).send(outcome.body);
    },
  );

  app.get(
    "/api/v1/stories/:id/notes",
    {
      schema: {
        tags: ["notes"],
        summary: "A story's context notes: those shown on the article, and those waiting for the viewer's rating",
        params: IdParams,
        response: {
          200: Type.Object({ shown: Type.Array(NoteSchema), pending: Type.Array(NoteSchema) }),
          ...errors(404),
        },
      },
    },
    async (request) => listNotes(deps, request.actor, request.params.id),
  );

  app.put(
    "/api/v1/notes/:id/rating",
    {
      schema: {
        tags: ["notes"],
        summary: "Rate a context note (one rating per reader, changeable)",
        params: IdParams,
        body: Type.Object({ value: RatingValue }),
        response: {
          200: Type.Object({ noteId: Type.String(), rating: RatingValue }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => rateNote({ deps, actor: requireActor(request), noteId: request.params.id, value: request.body.value }),
  );

  app.delete(
    "/api/v1/notes/:id/rating",
    {
      schema: {
        tags: ["notes"],
        summary: "Take a rating of a note back",
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401) },
      },
    },
    async (request, reply) => {
      await unrateNote({ deps, actor: requireActor(request), noteId: request.params.id });
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/moderation/notes",
    {
      schema: {
        tags: ["notes"],
        summary: "Context notes held by the moderation pipeline, oldest first (moderators)",
        response: { 200: Type.Object({ items: Type.Array(NoteSchema) }), ...errors(401, 403) },
      },
    },
    async (request) => heldNotesFor(deps, requireActor(request)),
  );

  app.post(
    "/api/v1/moderation/notes/:id/decision",
    {
      schema: {
        tags: ["notes"],
        summary: "Publish or reject a held context note (moderators)",
        params: IdParams,
        body: Type.Object({ action: Type.Union([Type.Literal("approve"), Type.Literal("reject")]) }),
        response: { 200: Type.Object({ note: NoteSchema }), ...errors(401, 403, 404) },
      },
    },
    async (request) => decideNote({ deps, actor: requireActor(request), noteId: request.params.id, action: request.body.action }),
  );
};
