import { normaliseSection } from "../policy/schema.js";
import { sectionLimits } from "../accounts/actor.js";
import { sectionFilter } from "./store.js";
import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { scopeSiteIds } from "../accounts/actor.js";
import { moderatedSites, requireModeratorOf } from "../accounts/guards.js";
import { errors } from "../http/schemas.js";
import { MyDaySchema, QueueCountsSchema, StatsSchema } from "../shared/moderation.js";
import { myDay } from "./my-day.js";
import { moderationStats } from "./stats.js";
import { queueCounts } from "./store.js";

/** The dashboard's numbers and the queue tabs' live counts. */
export const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.get(
    "/api/v1/moderation/stats",
    {
      schema: {
        tags: ["moderation"],
        summary: "Comments per hour, shares by status, top hold reasons, busiest stories and queue age",
        querystring: Type.Object({
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          range: Type.Optional(Type.Union([Type.Literal("day"), Type.Literal("week")])),
        }),
        response: { 200: StatsSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { siteId, range } = request.query;
      const sites = moderatedSites(requireModeratorOf(request), siteId);
      return moderationStats({ deps, siteId: siteId ?? null, sites, range: range ?? "day" });
    },
  );

  app.get(
    "/api/v1/moderation/my-day",
    {
      schema: {
        tags: ["moderation"],
        summary: "The caller's decisions since the start of their day, and the comments waiting longest",
        querystring: Type.Object({
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          since: Type.Optional(Type.String({ format: "date-time", description: "The moderator's local midnight (at most two days back)." })),
        }),
        response: { 200: MyDaySchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireModeratorOf(request);
      const sites = moderatedSites(actor, request.query.siteId);
      return myDay({ deps, moderatorId: actor.user.id, sites, since: request.query.since });
    },
  );

  app.get(
    "/api/v1/moderation/counts",
    {
      schema: {
        tags: ["moderation"],
        summary: "How many comments wait in each queue",
        querystring: Type.Object({
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          storyId: Type.Optional(Type.String({ maxLength: 64 })),
          section: Type.Optional(Type.String({ maxLength: 100, description: "Only comments on stories of this section." })),
        }),
        response: { 200: QueueCountsSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { siteId, storyId } = request.query;
      const actor = requireModeratorOf(request);
      const siteIds = scopeSiteIds(moderatedSites(actor, siteId));
      const section = request.query.section === undefined ? undefined : (normaliseSection(request.query.section) ?? "");
      return queueCounts(deps.store.read, { siteIds, storyId, sections: sectionFilter(section, sectionLimits(actor)) });
    },
  );
};
