import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { findUsersByIds } from "../accounts/store.js";
import { moderatedSites, requireModeratorOf } from "../accounts/guards.js";
import { idempotencyKey, requireActor } from "../http/auth.js";
import { IdParams, errors } from "../http/schemas.js";
import { AppealQueueItemSchema as AppealQueueItem, AppealSchema, StatementSchema } from "../shared/appeals.js";
import { rememberedResponse } from "../idempotency.js";
import { decideAppeal, fileAppeal, presentAppeal } from "./appeals.js";
import { presentStatement } from "./statements.js";
import { appealedComments, appealsOfStatements, listAppeals, statementsOf, storyTitles } from "./store.js";

/** EU DSA: the author's statements of reasons and appeals, and the desk's appeals queue. */
export const complianceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.get(
    "/api/v1/me/decisions",
    {
      schema: {
        tags: ["compliance"],
        summary: "The statements of reasons for my rejected or removed comments",
        response: { 200: Type.Object({ items: Type.Array(StatementSchema) }), ...errors(401) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const rows = await statementsOf(deps.store.read, actor.user.id, 200);
      const appeals = new Map((await appealsOfStatements(deps.store.read, rows.map((r) => r.id))).map((a) => [a.statement_id, a]));
      return { items: rows.map((row) => presentStatement(row, appeals.get(row.id))) };
    },
  );

  app.post(
    "/api/v1/me/decisions/:id/appeal",
    {
      schema: {
        tags: ["compliance"],
        summary: "Appeal a decision within its window",
        params: IdParams,
        body: Type.Object({ explanation: Type.String({ minLength: 1, maxLength: 5000, pattern: "\\S" }) }),
        response: { 201: Type.Object({ appeal: AppealSchema }), ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { id } = request.params;
      const outcome = await rememberedResponse(
        deps,
        actor,
        { key: idempotencyKey(request), fingerprint: ["POST appeal", id, request.body] },
        async () => {
          const appeal = await fileAppeal({ deps, actor, statementId: id, explanation: request.body.explanation });
          return { statusCode: 201, body: { appeal: presentAppeal(appeal) } };
        },
      );
      return reply.code(201).send(outcome.body);
    },
  );

  app.get(
    "/api/v1/moderation/appeals",
    {
      schema: {
        tags: ["compliance"],
        summary: "The appeals queue (open appeals oldest first)",
        querystring: Type.Object({
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          status: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("upheld"), Type.Literal("reversed")])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(AppealQueueItem), nextCursor: Type.Null() }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireModeratorOf(request);
      const sites = moderatedSites(actor, request.query.siteId);
      const rows = await listAppeals(deps.store.read, { sites, status: request.query.status ?? "open", limit: request.query.limit ?? 50 });
      const userIds = [...new Set(rows.flatMap((r) => [r.appeal.author_id, r.statement.decided_by ?? ""]).filter(Boolean))];
      const users = new Map((await findUsersByIds(deps.store.read, userIds)).map((u) => [u.id, u.display_name]));
      const commentIds = rows.map((r) => r.statement.comment_id);
      const storyIds = [...new Set(rows.map((r) => r.statement.story_id))];
      const comments = new Map((await appealedComments(deps.store.read, commentIds)).map((c) => [c.id, c]));
      const stories = new Map((await storyTitles(deps.store.read, storyIds)).map((s) => [s.id, s.title]));
      const items = rows.map(({ appeal, statement }) => {
        const comment = comments.get(statement.comment_id);
        return {
          appeal: presentAppeal(appeal),
          decision: presentStatement(statement, appeal),
          authorName: users.get(appeal.author_id) ?? "A former reader",
          decidedByName: statement.decided_by ? (users.get(statement.decided_by) ?? "A former moderator") : null,
          storyTitle: stories.get(statement.story_id) ?? null,
          commentBody: comment && comment.status !== "removed" ? comment.body : null,
          canDecide: statement.decided_by !== actor.user.id,
        };
      });
      return { items, nextCursor: null };
    },
  );

  app.post(
    "/api/v1/moderation/appeals/:id/decision",
    {
      schema: {
        tags: ["compliance"],
        summary: "Uphold or reverse an appeal (never by the moderator who decided)",
        params: IdParams,
        body: Type.Object({
          action: Type.Union([Type.Literal("uphold"), Type.Literal("reverse")]),
          note: Type.String({ minLength: 1, maxLength: 2000, pattern: "\\S" }),
        }),
        response: { 200: Type.Object({ appeal: AppealSchema }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireModeratorOf(request);
      const appeal = await decideAppeal({ deps, actor, appealId: request.params.id, action: request.body.action, note: request.body.note });
      return { appeal: presentAppeal(appeal) };
    },
  );
};
