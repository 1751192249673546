import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { idempotencyKey, requireActor } from "../http/auth.js";
import {
  CommentSchema,
  CursorQuery,
  IdParams,
  LimitQuery,
  ReplySchema,
  errors,
  page,
} from "../http/schemas.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import { encodingFor, sendEncoded } from "../http/compression.js";
import { THREAD_SORTS } from "../shared/thread.js";
import { pageEncoded, pageJson } from "./page-cache.js";
import { getCommentThread, listReplies, listStoryComments } from "./reads.js";
import { deleteComment, editComment, postComment } from "./service.js";
import { listFeatured, setFeatured } from "./featured.js";
import { unansweredQuestions } from "./questions.js";
import { NewCommentSchema } from "../shared/schemas.js";

// The schema allows far more than the configured limit so that the service answers
// an over-long comment with COMMENT_TOO_LONG and the author's actual length.
const Body = Type.String({ maxLength: 100_000 });

/**
 * Sends a thread page: a page the cache shares is serialized once, and compressed once per
 * encoding, not once per reader.
 */
function sendPage(request: FastifyRequest, reply: FastifyReply, body: object) {
  const json = pageJson(body, () => String(reply.serializeInput({ ...body }, "200")));
  const encoding = encodingFor(request, json.length);
  if (encoding)
    return sendEncoded(reply.type("application/json; charset=utf-8"), pageEncoded(body, json, encoding), encoding);
  return reply.serializer(() => json).send(body);
}

export const commentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps, metrics } = app;

  app.get(
    "/api/v1/stories/:id/comments",
    {
      schema: {
        tags: ["comments"],
        summary: "A page of a story's top-level comments, each with its first replies",
        params: IdParams,
        querystring: Type.Object({
          sort: Type.Optional(
            Type.Union(
              THREAD_SORTS.map((s) => Type.Literal(s)),
              {
                default: "newest",
                description:
                  "best: readers who usually disagree found it helpful (bridging lower bound); featured: editors' picks first, then the newest; answered: questions the newsroom answered first (Q&A stories), then the newest",
              },
            ),
          ),
          filter: Type.Optional(
            Type.Union([Type.Literal("answered"), Type.Literal("unanswered")], {
              description: "Q&A stories: only the questions the newsroom answered, or only those it has not.",
            }),
          ),
          limit: LimitQuery,
          cursor: CursorQuery,
        }),
        response: { 200: page(CommentSchema), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const page = await listStoryComments({
        deps,
        viewer: request.actor,
        storyId: request.params.id,
        sort: request.query.sort ?? "newest",
        filter: request.query.filter,
        limit: request.query.limit ?? 20,
        cursor: request.query.cursor,
      });
      // A page the cache shares is serialized once, not once per reader.
      return sendPage(request, reply, page);
    },
  );

  app.post(
    "/api/v1/stories/:id/comments",
    {
      schema: {
        tags: ["comments"],
        summary: "Post a comment or a reply",
        params: IdParams,
        headers: Type.Object({ "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        body: NewCommentSchema,
        response: {
          200: Type.Object({ comment: CommentSchema }),
          201: Type.Object({ comment: CommentSchema }),
          ...errors(400, 401, 403, 404, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const outcome = await postComment({
        deps,
        actor: requireActor(request),
        storyId: request.params.id,
        input: request.body,
        idempotencyKey: idempotencyKey(request),
        ip: request.ip,
      });
      metrics.commentsPosted.inc({ status: outcome.body.comment.status });
      return reply.code(outcome.statusCode as 200 | 201).send(outcome.body);
    },
  );

  app.get(
    "/api/v1/comments/:id",
    {
      schema: {
        tags: ["comments"],
        summary: "One comment with its ancestors, root first (for permalinks)",
        params: IdParams,
        response: { 200: Type.Object({ comment: ReplySchema, ancestors: Type.Array(ReplySchema) }), ...errors(404) },
      },
    },
    async (request) => getCommentThread({ deps, viewer: request.actor, id: request.params.id }),
  );

  app.get(
    "/api/v1/comments/:id/replies",
    {
      schema: {
        tags: ["comments"],
        summary: "Replies of a comment, oldest first",
        params: IdParams,
        querystring: Type.Object({ limit: LimitQuery, cursor: CursorQuery }),
        response: { 200: page(ReplySchema), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const page = await listReplies({
        deps,
        viewer: request.actor,
        commentId: request.params.id,
        limit: request.query.limit ?? 20,
        cursor: request.query.cursor,
      });
      return sendPage(request, reply, page);
    },
  );

  app.patch(
    "/api/v1/comments/:id",
    {
      schema: {
        tags: ["comments"],
        summary: "Edit your comment within the edit window",
        params: IdParams,
        body: Type.Object({ body: Body, confirm: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ comment: ReplySchema }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      comment: await editComment({
        deps,
        actor: requireActor(request),
        id: request.params.id,
        body: request.body.body,
      }),
    }),
  );

  app.delete(
    "/api/v1/comments/:id",
    {
      schema: {
        tags: ["comments"],
        summary: "Delete a comment (its author or a moderator); replies stay in place",
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteComment({ deps, actor: requireActor(request), id: request.params.id });
      return reply.code(204).send(null);
    },
  );

  // Featuring is idempotent by nature (the second call changes nothing), so a retried request
  // with the same Idempotency-Key needs no stored answer.
  const FeatureHeaders = Type.Object({ "idempotency-key": Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) });
  for (const featured of [true, false]) {
    const route = featured ? app.post.bind(app) : app.delete.bind(app);
    route(
      "/api/v1/comments/:id/feature",
      {
        schema: {
          tags: ["comments"],
          summary: featured
            ? "Feature a published comment (an editor's pick): the story's staff and moderators"
            : "Stop featuring a comment: the story's staff and moderators",
          params: IdParams,
          headers: FeatureHeaders,
          response: { 200: Type.Object({ comment: ReplySchema }), ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => ({
        comment: await setFeatured({ deps, actor: requireActor(request), id: request.params.id, featured }),
      }),
    );
  }

  app.get(
    "/api/v1/stories/:id/featured",
    {
      schema: {
        tags: ["comments"],
        summary: "A story's featured comments (editors' picks), newest pick first",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(ReplySchema) }), ...errors(404) },
      },
    },
    async (request) => ({
      items: await listFeatured({ deps, viewer: request.actor, storyId: request.params.id }),
    }),
  );

  app.get(
    "/api/v1/moderation/questions",
    {
      schema: {
        tags: ["comments"],
        summary: "Questions of Q&A stories the newsroom has not answered, oldest first (staff, moderator)",
        querystring: Type.Object({
          storyId: Type.Optional(Type.String({ maxLength: 64 })),
          limit: LimitQuery,
          cursor: CursorQuery,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ question: ReplySchema, storyTitle: Type.String(), storyUrl: Type.String() })),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const { storyId, limit = 20, cursor } = request.query;
      return unansweredQuestions({ deps, actor: request.actor, storyId, limit, cursor });
    },
  );
};
