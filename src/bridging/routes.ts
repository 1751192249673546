import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { hasRole } from "../accounts/actor.js";
import { forbidden } from "../errors.js";
import { requireActor } from "../http/auth.js";
import { IdParams, errors } from "../http/schemas.js";
import { rateComment, unrateComment } from "./ratings.js";
import { refitAllSites } from "./refit.js";
import { CommentRatingSchema } from "../shared/schemas.js";

const RefitResult = Type.Object({
  siteId: Type.String(),
  ratings: Type.Integer({ description: "Ratings of published comments the fit used." }),
  scoredComments: Type.Integer(),
  badges: Type.Integer({ description: "Comments with the helpful badge after this fit." }),
  notesShown: Type.Integer({ description: "Reader context notes shown on their articles after this fit." }),
  puppetRings: Type.Integer({ description: "Rings of near-identical raters, each counted as one reader." }),
  seconds: Type.Number(),
});

export const bridgingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.put(
    "/api/v1/comments/:id/rating",
    {
      schema: {
        tags: ["bridging"],
        summary: "Rate a comment helpful or not helpful (one rating per reader, changeable)",
        params: IdParams,
        body: Type.Object({ value: CommentRatingSchema }),
        response: {
          200: Type.Object({ commentId: Type.String(), rating: Type.String() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) =>
      rateComment({ deps, actor: requireActor(request), commentId: request.params.id, value: request.body.value }),
  );

  app.delete(
    "/api/v1/comments/:id/rating",
    {
      schema: {
        tags: ["bridging"],
        summary: "Take a rating back",
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401) },
      },
    },
    async (request, reply) => {
      await unrateComment({ deps, actor: requireActor(request), commentId: request.params.id });
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/admin/bridging/refit",
    {
      schema: {
        tags: ["bridging"],
        summary: "Refit the bridging model for every site now (admin)",
        response: {
          200: Type.Object({ sites: Type.Array(RefitResult) }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      if (!hasRole(requireActor(request), "admin")) throw forbidden("Only admins can do this.");
      return { sites: await refitAllSites(deps) };
    },
  );
};
