import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { findUsersByIds } from "../accounts/store.js";
import { moderatedSites, requireModeratorOf } from "../accounts/guards.js";
import { idempotencyKey, requireActor } from "../http/auth.js";
import { IdParams, errors } from "../http/schemas.js";
import { AppealQueueItemSchema as AppealQueueItem, AppealSchema, StatementSchema } from "../shared/appeals.js";
import { rememberedResponse } from "../idempotency.js";
import { decideAppeal, fileAppeal, presentAppeal } from "./appeals.js";
import { fileNotice, presentNotice } from "./notices.js";
import { transparencyCsv, transparencyReport } from "./transparency.js";
import { requireAdminOf } from "../accounts/guards.js";
import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import { presentStatement } from "./statements.js";
import { appealedComments, appealsOfStatements, listAppeals, statementsOf, storyTitles } from "./store.js";

const Iso = Type.String({ format: "date-time" });
/** What a notice of illegal content must carry (the notice page checks the same before it posts). */
export const NoticeBody = Type.Object({
  commentId: Type.String({ minLength: 1, maxLength: 64 }),
  law: Type.String({ maxLength: 300, description: "The law the comment breaks, e.g. a country's criminal code article (required, not blank)." }),
  explanation: Type.String({ maxLength: 5000, description: "Why the comment is illegal under that law (required, not blank)." }),
  reporterEmail: Type.Optional(Type.String({ format: "email", maxLength: 254, description: "Where the receipt and the decision go." })),
  goodFaith: Type.Boolean({ description: "The notifier's statement that the notice is accurate and complete, in good faith: must be true." }),
});

const Seconds = Type.Union([Type.Integer(), Type.Null()], { description: "Seconds; null when nothing was decided." });
const TransparencySchema = Type.Object({
  from: Iso,
  to: Iso,
  notices: Type.Object({
    received: Type.Integer(),
    actioned: Type.Integer({ description: "The comment was rejected or removed." }),
    dismissed: Type.Integer({ description: "The comment was kept." }),
    withdrawn: Type.Integer({ description: "Its author deleted the comment first." }),
    open: Type.Integer(),
    medianSecondsToDecision: Seconds,
    p90SecondsToDecision: Seconds,
  }),
  reports: Type.Object({ received: Type.Integer() }),
  decisions: Type.Object({
    statements: Type.Integer({ description: "Statements of reasons: rejections and removals." }),
    byGround: Type.Object({ illegal: Type.Integer(), terms: Type.Integer() }),
    byReason: Type.Array(
      Type.Object({
        ground: Type.Union([Type.Literal("illegal"), Type.Literal("terms")]),
        reason: Type.String(),
        count: Type.Integer(),
        automated: Type.Integer(),
      }),
    ),
    automated: Type.Integer({ description: "Statements where automated means decided or detected." }),
    automatedShare: Type.Number({ minimum: 0, maximum: 1 }),
    moderatorDecisions: Type.Integer({ description: "Approvals and rejections by moderators." }),
    medianSecondsToDecision: Seconds,
    p90SecondsToDecision: Seconds,
  }),
  appeals: Type.Object({ received: Type.Integer(), upheld: Type.Integer(), reversed: Type.Integer(), open: Type.Integer(), medianSecondsToDecision: Seconds }),
  sampled: Type.Boolean({ description: "More rows than one report reads (100,000 of a kind): the numbers cover the newest." }),
});
const DAY_MS = 24 * 3600_000;

/** EU DSA: the author's statements of reasons and appeals, notices of illegal content, and the desk's appeals queue. */
export const complianceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.get(
    "/api/v1/admin/transparency",
    {
      schema: {
        tags: ["compliance"],
        summary: "The transparency report (EU DSA Art. 15, 24) over a date range, as JSON or CSV",
        querystring: Type.Object({
          siteId: Type.Optional(Type.String({ maxLength: 64, description: "One site (its admins); every site for an installation admin when left out." })),
          from: Type.Optional(Type.String({ format: "date-time", description: "Start (inclusive); 30 days before `to` by default." })),
          to: Type.Optional(Type.String({ format: "date-time", description: "End (exclusive); now by default." })),
          format: Type.Optional(Type.Union([Type.Literal("json"), Type.Literal("csv")])),
        }),
        response: {
          200: {
            description: "The report",
            content: { "application/json": { schema: TransparencySchema }, "text/csv": { schema: Type.String() } },
          },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { siteId, format } = request.query;
      requireAdminOf(request, siteId);
      const to = request.query.to ? Date.parse(request.query.to) : deps.clock.now();
      const from = request.query.from ? Date.parse(request.query.from) : to - 30 * DAY_MS;
      if (!(from < to)) throw badRequest(ErrorCodes.VALIDATION_FAILED, "The range must start before it ends.", { from: request.query.from, to: request.query.to });
      const report = await transparencyReport(deps, { siteIds: siteId ? [siteId] : null, from, to });
      if (format === "csv") {
        const name = `transparency-${new Date(from).toISOString().slice(0, 10)}-${new Date(to).toISOString().slice(0, 10)}.csv`;
        return reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${name}"`).send(transparencyCsv(report));
      }
      return reply.header("content-type", "application/json; charset=utf-8").send(report);
    },
  );

  app.post(
    "/api/v1/notices",
    {
      schema: {
        tags: ["compliance"],
        summary: "Notify a comment of illegal content (EU DSA Art. 16); signed in or not",
        body: NoticeBody,
        response: {
          201: Type.Object({ notice: Type.Object({ id: Type.String(), receivedAt: Iso }) }),
          ...errors(400, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const notice = await fileNotice({ deps, actor: request.actor ?? null, ip: request.ip, input: request.body });
      return reply.code(201).send({ notice: presentNotice(notice) });
    },
  );

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
