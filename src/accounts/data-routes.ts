import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { errors } from "../http/schemas.js";
import { accountSubject, authorize } from "./policies.js";
import { presentSelf } from "./presenter.js";
import { assertNameAllowed, normaliseDisplayName } from "./profiles.js";
import { AccountExportSchema, MeUserSchema } from "./schemas.js";
import * as store from "./store.js";
import { deleteAccount, exportAccount } from "./your-data.js";

/** The caller's own data: change the profile, download everything, delete the account. */
export const dataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const self = (actor: { user: { id: string } } | null) => accountSubject(actor?.user.id ?? "");

  app.patch(
    "/api/v1/me",
    {
      schema: {
        tags: ["accounts"],
        summary: "Change your display name",
        body: Type.Object({ displayName: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ user: MeUserSchema }), ...errors(400, 401) },
      },
    },
    async (request) => {
      const actor = authorize(request.actor, "update", self(request.actor));
      const displayName = normaliseDisplayName(request.body.displayName);
      const skeleton = await assertNameAllowed(deps, displayName, actor.user.id);
      const protectedName = actor.user.role !== "commenter" || (actor.siteRoles ?? []).length > 0;
      await store.updateUser(deps.store.db, actor.user.id, { display_name: displayName, name_skeleton: protectedName ? skeleton : null });
      const user = await store.findUserById(deps.store.db, actor.user.id);
      return { user: presentSelf(deps.config, user ?? actor.user) };
    },
  );

  app.get(
    "/api/v1/me/export",
    {
      schema: {
        tags: ["accounts"],
        summary: "Everything Parley holds about you, as JSON (profile, comments with revisions, reactions, reports, sessions)",
        response: { 200: AccountExportSchema, ...errors(401, 429) },
      },
    },
    async (request, reply) => {
      const actor = authorize(request.actor, "export", self(request.actor));
      const data = await exportAccount(deps, actor);
      return reply
        .header("cache-control", "no-store")
        .header("content-disposition", 'attachment; filename="parley-export.json"')
        .send(data);
    },
  );

  app.delete(
    "/api/v1/me",
    {
      schema: {
        tags: ["accounts"],
        summary: "Delete your account; your comments are removed or kept as \"deleted user\", as each site decides",
        response: { 200: Type.Object({ removed: Type.Integer(), anonymized: Type.Integer() }), ...errors(401) },
      },
    },
    async (request) => deleteAccount(deps, authorize(request.actor, "delete", self(request.actor))),
  );
};
