import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { notFound, validationFailed } from "../errors.js";
import { requireActor } from "../http/auth.js";
import { errors } from "../http/schemas.js";
import { FollowSchema, NotificationSchema, UnreadSchema } from "../shared/notifications.js";
import { pickLang } from "../shared/messages/index.js";
import { getStory } from "../stories/service.js";
import { listNotifications, markRead, presentNotification, unreadCount } from "./inbox.js";
import { PrefsSchema, readPrefs, writePrefs } from "./prefs.js";
import { follow, followOf, unfollow } from "./store.js";
import { unsubscribeRoutes } from "./unsubscribe-routes.js";

const Unread = UnreadSchema;
const Follow = FollowSchema;
const StoryParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** A reader's notifications, e-mail choices and story follows. */
export const readerNotificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.get(
    "/api/v1/me/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "The reader's notifications, newest first (replies, quotes, moderation outcomes, staff messages, followed stories)",
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          cursor: Type.Optional(Type.String({ maxLength: 64 })),
          unread: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Type.Object({ items: Type.Array(NotificationSchema), nextCursor: Type.Union([Type.String(), Type.Null()]), unread: Type.Integer() }), ...errors(401) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { limit = 20, cursor, unread } = request.query;
      const page = await listNotifications(deps.store.read, actor.user.id, { limit, before: cursor, unread });
      return { items: page.items.map(presentNotification), nextCursor: page.next, unread: await unreadCount(deps.store.read, actor.user.id) };
    },
  );

  app.get(
    "/api/v1/me/notifications/unread-count",
    { schema: { tags: ["notifications"], summary: "How many notifications the reader has not read (the widget's badge)", response: { 200: Unread, ...errors(401) } } },
    async (request) => ({ unread: await unreadCount(deps.store.read, requireActor(request).user.id) }),
  );

  app.post(
    "/api/v1/me/notifications/read",
    {
      schema: {
        tags: ["notifications"],
        summary: "Mark notifications read: the ones named, or all of them",
        body: Type.Object({ ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 })), all: Type.Optional(Type.Boolean()) }),
        response: { 200: Unread, ...errors(400, 401) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { ids, all } = request.body;
      if (!all && !ids?.length) throw validationFailed("Name the notifications to mark read (`ids`), or send `all: true`.");
      await markRead(deps.store.db, actor.user.id, deps.clock.now(), all ? undefined : ids);
      return { unread: await unreadCount(deps.store.db, actor.user.id) };
    },
  );

  app.get(
    "/api/v1/me/notification-settings",
    { schema: { tags: ["notifications"], summary: "The reader's e-mail choices", response: { 200: PrefsSchema, ...errors(401) } } },
    async (request) => readPrefs(deps.store.read, requireActor(request).user.id, pickLang(request.headers["accept-language"])),
  );

  app.patch(
    "/api/v1/me/notification-settings",
    {
      schema: {
        tags: ["notifications"],
        summary: "Change the reader's e-mail choices (reply and mention mails are opt-in: off, immediate or a daily digest)",
        body: Type.Partial(PrefsSchema, { additionalProperties: false }),
        response: { 200: PrefsSchema, ...errors(400, 401) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const current = await readPrefs(deps.store.db, actor.user.id, pickLang(request.headers["accept-language"]));
      const { replies, mentions, moderation, lang } = request.body;
      return writePrefs(deps.store.db, deps, actor.user.id, {
        replies: replies ?? current.replies,
        mentions: mentions ?? current.mentions,
        moderation: moderation ?? current.moderation,
        lang: lang ?? current.lang,
      });
    },
  );

  app.get(
    "/api/v1/stories/:id/follow",
    { schema: { tags: ["notifications"], summary: "Whether the reader follows the story's new comments", params: StoryParams, response: { 200: Follow, ...errors(401, 404) } } },
    async (request) => {
      const actor = requireActor(request);
      const mode = await followOf(deps.store.read, request.params.id, actor.user.id);
      return { following: mode !== undefined, mode: mode ?? null };
    },
  );

  // POST, not PUT: the embed's CORS allows GET, POST, PATCH and DELETE.
  app.post(
    "/api/v1/stories/:id/follow",
    {
      schema: {
        tags: ["notifications"],
        summary: "Follow a story's new top-level comments, in the app only or also by daily e-mail digest",
        params: StoryParams,
        body: Type.Object({ mode: Type.Union([Type.Literal("inapp"), Type.Literal("digest")]) }),
        response: { 200: Follow, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const story = await getStory(deps, request.params.id);
      if (story.status === "archived") throw notFound("Story");
      const { mode } = request.body;
      await follow(deps.store.db, { storyId: story.id, userId: actor.user.id, mode, now: deps.clock.now() });
      return { following: true, mode };
    },
  );

  app.delete(
    "/api/v1/stories/:id/follow",
    { schema: { tags: ["notifications"], summary: "Stop following a story", params: StoryParams, response: { 200: Follow, ...errors(401) } } },
    async (request) => {
      const actor = requireActor(request);
      await unfollow(deps.store.db, request.params.id, actor.user.id);
      return { following: false, mode: null };
    },
  );

  await app.register(unsubscribeRoutes);
};
