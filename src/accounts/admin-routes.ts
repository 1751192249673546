import { normaliseSection } from "../policy/schema.js";
import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { notFound, validationFailed } from "../errors.js";
import { errors } from "../http/schemas.js";
import { audit } from "../audit/log.js";
import { DEFAULT_SITE_ID, listSites } from "../site/service.js";
import { requireAdminOf } from "./guards.js";
import { nameSkeleton } from "./profiles.js";
import { AccountSettingsSchema, MaskedAccountSettingsSchema, changeAccountSettings, accountSettings, maskSettings } from "./settings.js";
import * as store from "./store.js";

const SiteQuery = Type.Object({ siteId: Type.Optional(Type.String({ maxLength: 64 })) });
const MaskedSettings = MaskedAccountSettingsSchema;

/** Site admins: account settings (SSO keys, verification, deletion policy, Gravatar) and site-scoped roles. */
export const accountsAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const siteOrThrow = async (siteId: string) => {
    if (!(await listSites(deps)).some((s) => s.id === siteId)) throw notFound("Site");
  };

  app.get(
    "/api/v1/admin/accounts-settings",
    {
      schema: {
        tags: ["admin"],
        summary: "A site's account settings (SSO secrets masked)",
        querystring: SiteQuery,
        response: { 200: Type.Object({ siteId: Type.String(), accounts: MaskedSettings }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const siteId = request.query.siteId ?? DEFAULT_SITE_ID;
      requireAdminOf(request, siteId);
      await siteOrThrow(siteId);
      return { siteId, accounts: maskSettings(await accountSettings(deps, siteId)) };
    },
  );

  app.patch(
    "/api/v1/admin/accounts-settings",
    {
      schema: {
        tags: ["admin"],
        summary: "Change a site's account settings (partial; a secret entry with only its kid keeps the stored secret; audited, secrets masked)",
        querystring: SiteQuery,
        body: Type.Object({ accounts: Type.Record(Type.String(), Type.Unknown()) }),
        response: { 200: Type.Object({ siteId: Type.String(), accounts: MaskedSettings }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const siteId = request.query.siteId ?? DEFAULT_SITE_ID;
      const actor = requireAdminOf(request, siteId);
      await siteOrThrow(siteId);
      const { before, after } = await changeAccountSettings(deps, siteId, request.body.accounts);
      await audit(deps, deps.store.db, {
        siteId,
        actorId: actor.user.id,
        action: "settings.accounts.update",
        targetType: "settings",
        targetId: siteId,
        before: maskSettings(before),
        after: maskSettings(after),
      });
      return { siteId, accounts: maskSettings(after) };
    },
  );

  const SiteParams = Type.Object({ siteId: Type.String({ maxLength: 64 }) });
  const Member = Type.Object({
    userId: Type.String(),
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    role: Type.String({ description: "admin, moderator or staff" }),
    scope: Type.Union([Type.Literal("everywhere"), Type.Literal("site")], {
      description: "everywhere: the account's own role (set with the CLI); site: a role on this site only, changed here.",
    }),
    sections: Type.Array(Type.String(), { description: "A site moderator's sections; empty: the whole site." }),
  });

  app.get(
    "/api/v1/admin/sites/:siteId/team",
    {
      schema: {
        tags: ["admin"],
        summary: "The people who run or moderate a site: roles everywhere and roles on this site, with their sections",
        params: SiteParams,
        response: { 200: Type.Object({ items: Type.Array(Member) }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const { siteId } = request.params;
      requireAdminOf(request, siteId);
      await siteOrThrow(siteId);
      return { items: await store.teamOf(deps.store.db, siteId) };
    },
  );

  app.get(
    "/api/v1/admin/sites/:siteId/people",
    {
      schema: {
        tags: ["admin"],
        summary: "Find an account to give a role: an exact e-mail address, or the start of a display name (at most 10)",
        params: SiteParams,
        querystring: Type.Object({ q: Type.String({ minLength: 2, maxLength: 320 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ userId: Type.String(), name: Type.String(), email: Type.Union([Type.String(), Type.Null()]), role: Type.String() })),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { siteId } = request.params;
      requireAdminOf(request, siteId);
      await siteOrThrow(siteId);
      const found = await store.findPeople(deps.store.db, request.query.q.trim(), 10);
      return { items: found.map((u) => ({ userId: u.id, name: u.display_name, email: u.email, role: u.role })) };
    },
  );

  app.put(
    "/api/v1/admin/sites/:siteId/roles/:userId",
    {
      schema: {
        tags: ["admin"],
        summary: "Make a user moderator or admin of one site only, or a moderator of some of its sections (audited)",
        params: Type.Object({ siteId: Type.String({ maxLength: 64 }), userId: Type.String({ maxLength: 64 }) }),
        body: Type.Object({
          role: Type.Union([Type.Literal("moderator"), Type.Literal("admin")]),
          sections: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
              maxItems: 100,
              description: "Moderators only: the sections they moderate; empty or absent: the whole site.",
            }),
          ),
        }),
        response: {
          200: Type.Object({ siteId: Type.String(), userId: Type.String(), role: Type.String(), sections: Type.Array(Type.String()) }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { siteId, userId } = request.params;
      const actor = requireAdminOf(request, siteId);
      await siteOrThrow(siteId);
      const user = await store.findUserById(deps.store.db, userId);
      if (!user) throw notFound("User");
      const sections = [...new Set((request.body.sections ?? []).map(normaliseSection).filter((x): x is string => x !== null))];
      if (sections.length > 0 && request.body.role !== "moderator") throw validationFailed("Only moderators are scoped to sections.");
      await deps.store.db.transaction().execute(async (trx) => {
        await store.updateUser(trx, userId, { name_skeleton: nameSkeleton(user.display_name) });
        await store.setSiteRole(trx, {
          user_id: userId,
          site_id: siteId,
          role: request.body.role,
          created_at: deps.clock.now(),
          sections: sections.length ? JSON.stringify(sections) : null,
        });
        await audit(deps, trx, {
          siteId,
          actorId: actor.user.id,
          action: "user.site_role",
          targetType: "user",
          targetId: userId,
          after: { role: request.body.role, ...(sections.length ? { sections } : {}) },
        });
      });
      return { siteId, userId, role: request.body.role, sections };
    },
  );

  app.delete(
    "/api/v1/admin/sites/:siteId/roles/:userId",
    {
      schema: {
        tags: ["admin"],
        summary: "Take a user's role on one site away (audited)",
        params: Type.Object({ siteId: Type.String({ maxLength: 64 }), userId: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { siteId, userId } = request.params;
      const actor = requireAdminOf(request, siteId);
      await deps.store.db.transaction().execute(async (trx) => {
        await store.removeSiteRole(trx, userId, siteId);
        await audit(deps, trx, { siteId, actorId: actor.user.id, action: "user.site_role_removed", targetType: "user", targetId: userId });
      });
      return reply.code(204).send(null);
    },
  );
};
