import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { requireActor } from "../http/auth.js";
import { StorySchema, IdParams, errors } from "../http/schemas.js";
import { presentStoryNow } from "./presenter.js";
import { storyCorrections } from "../corrections/service.js";
import { changeStory, createStory, getStory, resolveStory } from "./service.js";

const Meta = {
  title: Type.Optional(Type.String({ maxLength: 500 })),
  author: Type.Optional(Type.String({ maxLength: 300 })),
  publishedAt: Type.Optional(Type.String({ maxLength: 40 })),
  section: Type.Optional(
    Type.String({ maxLength: 100, description: "The newsroom section (the embed's data-section); kept lower case. A page names it only when the story is first seen." }),
  ),
};

const Commenting = Type.Union([Type.Literal("everyone"), Type.Literal("registered"), Type.Literal("subscribers")]);
const StoryPolicy = {
  closeAfterDays: Type.Optional(
    Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 3650 })], { description: "The story's own; null: its section's or site's." }),
  ),
  commenting: Type.Optional(Type.Union([Type.Null(), Commenting], { description: "The story's own; null: its section's or site's." })),
};

export const storyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.get(
    "/api/v1/stories/resolve",
    {
      schema: {
        tags: ["stories"],
        summary: "The story for a page URL, created on first use from an allowed origin",
        querystring: Type.Object({
          url: Type.String({ minLength: 1, maxLength: 2000 }),
          ...Meta,
          titleSignature: Type.Optional(
            Type.String({ maxLength: 200, description: "HMAC-SHA256 of the canonical URL, a newline and the title, keyed with a site SSO secret (base64url); without it the story is titled by its path." }),
          ),
        }),
        response: { 200: StorySchema, ...errors(400, 403, 429) },
      },
    },
    async (request) => {
      const { url, titleSignature, ...meta } = request.query;
      return presentStoryNow(deps, await resolveStory(deps, url, meta, { ip: request.ip, titleSignature }));
    },
  );

  app.get(
    "/api/v1/stories/:id",
    {
      schema: {
        tags: ["stories"],
        summary: "One story",
        params: IdParams,
        response: { 200: StorySchema, ...errors(404) },
      },
    },
    async (request) => ({
      ...(await presentStoryNow(deps, await getStory(deps, request.params.id))),
      corrections: await storyCorrections(deps, request.params.id),
    }),
  );

  app.post(
    "/api/v1/stories",
    {
      schema: {
        tags: ["stories"],
        summary: "Create a story (admin)",
        body: Type.Object({
          url: Type.String({ minLength: 1, maxLength: 2000 }),
          siteId: Type.Optional(Type.String({ maxLength: 64 })),
          bodyText: Type.Optional(
            Type.String({ maxLength: 200_000, description: "The article text, so readers can quote it." }),
          ),
          ...Meta,
          ...StoryPolicy,
        }),
        response: { 201: StorySchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await presentStoryNow(deps, await createStory(deps, requireActor(request), request.body))),
  );

  app.patch(
    "/api/v1/stories/:id",
    {
      schema: {
        tags: ["stories"],
        summary: "Open, close or archive a story; pre-moderate it; its section, closing and who may comment (moderator)",
        params: IdParams,
        body: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("closed"), Type.Literal("archived")])),
            premod: Type.Optional(Type.Boolean()),
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
            mode: Type.Optional(Type.Union([Type.Literal("comments"), Type.Literal("qa")])),
            section: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 100 })])),
            ...StoryPolicy,
          },
          { additionalProperties: false },
        ),
        response: { 200: StorySchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => presentStoryNow(deps, await changeStory(deps, requireActor(request), request.params.id, request.body)),
  );
};
