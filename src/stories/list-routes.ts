import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { sql } from "kysely";
import { scopeSiteIds } from "../accounts/actor.js";
import { moderatedSites, requireModeratorOf } from "../accounts/guards.js";
import { badRequest } from "../errors.js";
import { CursorQuery, LimitQuery, errors } from "../http/schemas.js";
import { ListedStorySchema } from "../shared/moderation.js";
import { ErrorCodes } from "../shared/codes.js";
import { presentStory } from "./presenter.js";

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

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[%_\\]/g, "\\$&")}%`;

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
            items: Type.Array(
              ListedStorySchema,
            ),
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
      let query = deps.store.read.selectFrom("stories").selectAll();
      if (siteIds) query = query.where("site_id", "in", siteIds);
      if (status) query = query.where("status", "=", status);
      if (q) {
        const pattern = likePattern(q);
        query = query.where((eb) =>
          eb.or([
            eb(sql<string>`lower(title)`, "like", sql<string>`${pattern} escape '\\'`),
            eb(sql<string>`lower(url)`, "like", sql<string>`${pattern} escape '\\'`),
          ]),
        );
      }
      if (cursor) {
        const [createdAt, id] = decode(cursor);
        query = query.where((eb) => eb(eb.refTuple("created_at", "id"), "<", eb.tuple(createdAt, id)));
      }
      const rows = await query
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const ids = page.map((s) => s.id);
      // One grouped query for the whole page; each story's comments are a range of comments_thread_time.
      const counts = ids.length
        ? await deps.store.read
            .selectFrom("comments")
            .select((eb) => [
              "story_id",
              eb.fn.sum<number>(eb.case().when("status", "=", "pending").then(1).else(0).end()).as("pending"),
              eb.fn
                .sum<number>(
                  eb
                    .case()
                    .when(eb.and([eb("open_reports", ">", 0), eb("status", "in", ["published", "pending"])]))
                    .then(1)
                    .else(0)
                    .end(),
                )
                .as("reported"),
            ])
            .where("story_id", "in", ids)
            .groupBy("story_id")
            .execute()
        : [];
      const last = page[page.length - 1];
      return {
        items: page.map((story) => {
          const c = counts.find((row) => row.story_id === story.id);
          return { ...presentStory(story), pending: Number(c?.pending ?? 0), reported: Number(c?.reported ?? 0) };
        }),
        nextCursor: rows.length > limit && last ? encode(last.created_at, last.id) : null,
      };
    },
  );
};
