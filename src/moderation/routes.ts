import { normaliseSection } from "../policy/schema.js";
import { sectionLimits } from "../accounts/actor.js";
import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { authorizeComment, moderatedSites, requireModeratorOf, siteOfAction } from "../accounts/guards.js";
import { authorize, userSubject } from "../accounts/policies.js";
import { findUserById } from "../accounts/store.js";
import { idempotencyKey, requireActor } from "../http/auth.js";
import { rememberedResponse } from "../idempotency.js";
import { CursorQuery, IdParams, LimitQuery, errors, page } from "../http/schemas.js";
import { AuditActionSchema, HistorySchema, NoteSchema, QueueItemSchema } from "../shared/moderation.js";
import { QUEUES } from "../shared/queues.js";
import { DECISION_REASONS, decide } from "./decisions.js";
import { auditLog, userHistory } from "./history.js";
import { listQueue } from "./queue.js";
import { REPORT_REASONS, reportComment } from "./reports.js";
import { acknowledgeWarning, actOnUser, addNote } from "./users.js";
import { USER_ACTIONS } from "../shared/moderation.js";

/** A moderator of at least one site; per-site checks follow in each handler (src/accounts/policies.ts). */
const requireModerator = requireModeratorOf;

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const DecisionBody = Type.Object({
  action: literals(["approve", "reject"] as const),
  reason: Type.Optional(
    Type.Object({ code: literals(DECISION_REASONS), text: Type.Optional(Type.String({ maxLength: 1000 })) }),
  ),
});
const UserActionResult = Type.Object({
  userId: Type.String(),
  status: Type.String({ description: "active, suspended or banned (a ban from one site leaves it active)" }),
  suspendedUntil: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  premod: Type.Boolean(),
  warning: Type.Union([Type.String(), Type.Null()]),
  rejectedComments: Type.Integer({ description: "Comments rejected with this action." }),
});
const SITE_ACTIONS = new Set(["ban", "clear"]);

export const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.post(
    "/api/v1/comments/:id/reports",
    {
      schema: {
        tags: ["moderation"],
        summary: "Report a comment (once per reader)",
        params: IdParams,
        body: Type.Object({ reason: literals(REPORT_REASONS), note: Type.Optional(Type.String({ maxLength: 1000 })) }),
        response: { 201: Type.Object({ reported: Type.Boolean() }), ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { id } = request.params;
      const outcome = await rememberedResponse(
        deps,
        actor,
        { key: idempotencyKey(request), fingerprint: ["POST report", id, request.body] },
        async () => {
          await reportComment({ deps, actor, commentId: id, reason: request.body.reason, note: request.body.note });
          return { statusCode: 201, body: { reported: true } };
        },
      );
      return reply.code(201).send(outcome.body);
    },
  );

  app.post(
    "/api/v1/me/warning/acknowledge",
    {
      schema: {
        tags: ["moderation"],
        summary: "Acknowledge a moderator's warning",
        response: { 204: Type.Null(), ...errors(401) },
      },
    },
    async (request, reply) => {
      await acknowledgeWarning(deps, requireActor(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/moderation/queues/:queue",
    {
      schema: {
        tags: ["moderation"],
        summary: "A moderation queue, highest priority first",
        params: Type.Object({ queue: literals(QUEUES) }),
        querystring: Type.Object({
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          storyId: Type.Optional(Type.String({ maxLength: 64 })),
          authorId: Type.Optional(Type.String({ maxLength: 64 })),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          section: Type.Optional(Type.String({ maxLength: 100, description: "Only comments on stories of this section." })),
          limit: LimitQuery,
          cursor: CursorQuery,
        }),
        response: {
          200: page(QueueItemSchema),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { storyId, authorId, q, limit, cursor } = request.query;
      const actor = requireModerator(request);
      const sites = moderatedSites(actor, request.query.siteId);
      return listQueue({
        deps,
        actor,
        queue: request.params.queue,
        filters: {
          sites,
          storyId,
          authorId,
          text: q,
          section: request.query.section === undefined ? undefined : (normaliseSection(request.query.section) ?? ""),
          sectionLimits: sectionLimits(actor),
        },
        limit: limit ?? 20,
        cursor,
      });
    },
  );

  app.post(
    "/api/v1/moderation/comments/:id/decision",
    {
      schema: {
        tags: ["moderation"],
        summary: "Approve or reject a comment",
        params: IdParams,
        body: DecisionBody,
        response: {
          200: Type.Object({ id: Type.String(), status: Type.String() }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const actor = requireModerator(request);
      await authorizeComment(deps, actor, "decide", request.params.id);
      return decide({ deps, actor, commentId: request.params.id, decision: request.body });
    },
  );

  app.post(
    "/api/v1/moderation/decisions",
    {
      schema: {
        tags: ["moderation"],
        summary: "Approve or reject several comments",
        body: Type.Object({
          ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 }),
          ...DecisionBody.properties,
        }),
        response: {
          200: Type.Object({
            results: Type.Array(
              Type.Object({
                id: Type.String(),
                status: Type.Optional(Type.String()),
                error: Type.Optional(Type.String()),
              }),
            ),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const actor = requireModerator(request);
      const { ids, ...decision } = request.body;
      const results = [];
      for (const id of [...new Set(ids)]) {
        try {
          await authorizeComment(deps, actor, "decide", id);
          results.push(await decide({ deps, actor, commentId: id, decision }));
        } catch (error) {
          results.push({ id, error: (error as { code?: string }).code ?? "INTERNAL" });
        }
      }
      return { results };
    },
  );

  app.post(
    "/api/v1/moderation/users/:id/actions",
    {
      schema: {
        tags: ["moderation"],
        summary:
          "Ban, suspend, warn, pre-moderate or clear a user; with siteId a ban or clear concerns that site only (moderators of single sites: only those)",
        params: IdParams,
        body: Type.Object({
          action: literals(USER_ACTIONS),
          until: Type.Optional(Type.String({ maxLength: 40 })),
          message: Type.Optional(Type.String({ maxLength: 2000 })),
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          rejectComments: Type.Optional(
            Type.Object(
              {
                storyId: Type.Optional(Type.String({ maxLength: 64, description: "Only the comments on this story." })),
                reason: Type.Optional(literals(DECISION_REASONS)),
              },
              {
                // Refused rather than dropped: a misspelt scope must not widen what gets rejected.
                additionalProperties: Type.Never(),
                description:
                  "With ban or suspend: also reject the user's published and held comments (in the ban's site when it has one), each as a moderator's decision in the audit log.",
              },
            ),
          ),
        }),
        response: { 200: UserActionResult, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireModerator(request);
      const { action, until, message, rejectComments } = request.body;
      // Only a ban and its lifting can be limited to one site; the rest change the account everywhere.
      const siteId = SITE_ACTIONS.has(action) ? siteOfAction(actor, request.body.siteId) : null;
      const target = await findUserById(deps.store.read, request.params.id);
      if (target) authorize(actor, "act", userSubject(target, siteId));
      return actOnUser({
        deps,
        actor,
        userId: request.params.id,
        input: { action, until, message, rejectComments, siteId: SITE_ACTIONS.has(action) ? (siteId ?? undefined) : request.body.siteId },
      });
    },
  );

  app.post(
    "/api/v1/moderation/users/:id/notes",
    {
      schema: {
        tags: ["moderation"],
        summary: "Add a moderator note on a user, read by the moderators of its site (siteId; without one: of every site)",
        params: IdParams,
        body: Type.Object({
          body: Type.String({ minLength: 1, maxLength: 5000 }),
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 201: NoteSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireModerator(request);
      const siteId = siteOfAction(actor, request.body.siteId);
      const target = await findUserById(deps.store.read, request.params.id);
      if (target) authorize(actor, "note", userSubject(target, siteId));
      const note = await addNote({ deps, actor, userId: request.params.id, siteId, body: request.body.body });
      return reply.code(201).send(note);
    },
  );

  app.get(
    "/api/v1/moderation/users/:id/history",
    {
      schema: {
        tags: ["moderation"],
        summary: "A user's comments, the actions taken and moderator notes, on the sites the caller moderates",
        params: IdParams,
        querystring: Type.Object({
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          storyId: Type.Optional(
            Type.String({ maxLength: 64, description: "Also count the user's published and held comments on this story (onStory)." }),
          ),
          limit: LimitQuery,
          cursor: CursorQuery,
        }),
        response: { 200: HistorySchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireModerator(request);
      return userHistory({
        storyId: request.query.storyId,
        deps,
        actor,
        userId: request.params.id,
        sites: moderatedSites(actor, request.query.siteId),
        limit: request.query.limit ?? 20,
        cursor: request.query.cursor,
      });
    },
  );

  app.get(
    "/api/v1/moderation/log",
    {
      schema: {
        tags: ["moderation"],
        summary: "The audit log, newest first",
        querystring: Type.Object({
          actorId: Type.Optional(Type.String({ maxLength: 64 })),
          action: Type.Optional(Type.String({ maxLength: 64 })),
          targetId: Type.Optional(Type.String({ maxLength: 64 })),
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          since: Type.Optional(Type.String({ maxLength: 40 })),
          until: Type.Optional(Type.String({ maxLength: 40 })),
          limit: LimitQuery,
          cursor: CursorQuery,
        }),
        response: { 200: page(AuditActionSchema), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireModerator(request);
      const { limit, cursor, siteId, ...filters } = request.query;
      return auditLog({ deps, filters: { ...filters, sites: moderatedSites(actor, siteId) }, limit: limit ?? 50, cursor });
    },
  );
};
