import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { scopeSiteIds } from "../accounts/actor.js";
import { moderatedSites, requireModeratorOf } from "../accounts/guards.js";
import { badRequest } from "../errors.js";
import { CursorQuery, LimitQuery, errors } from "../http/schemas.js";
import { ListedStorySchema } from "../shared/moderation.js";
import { ErrorCodes } from "../shared/codes.js";
import { presentStory } from "./presenter.js";
import { listStories, waitingCounts } from "./store.js";

const encode = (createdAt: number, id: string) => Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");

function decode(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === "string")
      return [value[0] as number, value[1]];
  } catch {
    // falls through to the refusal
  }
  throw badRequest(ErrorCodes.INVALID_CURSOR, "The cursor is not valid; start from the first page.");
}

/** The moderator's list of stories, newest first, each with its pending and reported counts. */
export const storyListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.get(
    "/api/v1/moderation/stories",
    {
      schema: {
        tags: ["moderation"],
        summary: "Stories, newest first, with how many comments wait or are reported",
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          status: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("closed"), Type.Literal("archived")])),
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          limit: LimitQuery,
          cursor: CursorQuery,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(ListedStorySchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { q, status, siteId, cursor } = request.query;
      const siteIds = scopeSiteIds(moderatedSites(requireModeratorOf(request), siteId));
      const limit = request.query.limit ?? 20;
      const rows = await listStories(deps.store.read, {
        siteIds,
        status,
        ...(q ? { matching: q } : {}),
        ...(cursor ? { before: decode(cursor) } : {}),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const counts = await waitingCounts(
        deps.store.read,
        page.map((s) => s.id),
      );
      const last = page[page.length - 1];
      return {
        items: page.map((story) => {
          const c = counts.get(story.id);
          return { ...presentStory(story), pending: c?.pending ?? 0, reported: c?.reported ?? 0 };
        }),
        nextCursor: rows.length > limit && last ? encode(last.created_at, last.id) : null,
      };
    },
  );
};
