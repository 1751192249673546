import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { RefusedOriginSchema, SiteSchema } from "../shared/sites.js";
import { requireAdminOf } from "../accounts/guards.js";
import { conflict, notFound } from "../errors.js";
import { errors } from "../http/schemas.js";
import { ErrorCodes } from "../shared/codes.js";
import { DEFAULT_SITE_ID, forgetSites, listSites } from "../site/service.js";
import { listRefusedOrigins } from "../site/refused.js";
import { insertSite, updateSite } from "../site/store.js";
import { isUniqueViolation } from "../store/errors.js";
import { audit } from "../audit/log.js";
import { ModerationSettingsSchema, changeModerationSettings, maskSecrets, moderationSettings } from "./settings.js";

/** An admin of the site (site-scoped admins included), or of the installation without a site. */
const requireAdmin = requireAdminOf;

const Origin = Type.String({ maxLength: 300, pattern: "^https?://[^/\\s]+$" });
const SiteQuery = Type.Object({ siteId: Type.Optional(Type.String({ maxLength: 64 })) });

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const siteOrThrow = async (siteId: string) => {
    const site = (await listSites(deps)).find((s) => s.id === siteId);
    if (!site) throw notFound("Site");
    return site;
  };

  app.get(
    "/api/v1/admin/settings",
    {
      schema: {
        tags: ["admin"],
        summary: "A site's moderation settings",
        querystring: SiteQuery,
        response: {
          200: Type.Object({ siteId: Type.String(), moderation: ModerationSettingsSchema }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => {
      const siteId = request.query.siteId ?? DEFAULT_SITE_ID;
      requireAdmin(request, siteId);
      await siteOrThrow(siteId);
      return { siteId, moderation: maskSecrets(await moderationSettings(deps, siteId)) };
    },
  );

  app.patch(
    "/api/v1/admin/settings",
    {
      schema: {
        tags: ["admin"],
        summary: "Change a site's moderation settings (partial; validated as a whole; audited)",
        querystring: SiteQuery,
        body: Type.Object({ moderation: Type.Record(Type.String(), Type.Unknown()) }),
        response: {
          200: Type.Object({ siteId: Type.String(), moderation: ModerationSettingsSchema }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const siteId = request.query.siteId ?? DEFAULT_SITE_ID;
      const actor = requireAdmin(request, siteId);
      await siteOrThrow(siteId);
      const { before, after } = await changeModerationSettings(deps, siteId, request.body.moderation);
      await audit(deps, deps.store.db, {
        siteId,
        actorId: actor.user.id,
        action: "settings.update",
        targetType: "settings",
        targetId: siteId,
        before: maskSecrets(before),
        after: maskSecrets(after),
      });
      return { siteId, moderation: maskSecrets(after) };
    },
  );

  app.get(
    "/api/v1/admin/sites",
    {
      schema: {
        tags: ["admin"],
        summary: "Sites and their allowed origins",
        response: { 200: Type.Object({ items: Type.Array(SiteSchema) }), ...errors(401, 403) },
      },
    },
    async (request) => {
      requireAdmin(request);
      forgetSites();
      return { items: (await listSites(deps)).map(({ id, name, origins }) => ({ id, name, origins })) };
    },
  );

  app.get(
    "/api/v1/admin/refused-origins",
    {
      schema: {
        tags: ["admin"],
        summary: "Origins that recently tried to embed a thread and were refused (not allowed since)",
        response: {
          200: Type.Object({ items: Type.Array(RefusedOriginSchema) }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      requireAdmin(request);
      forgetSites();
      return { items: await listRefusedOrigins(deps) };
    },
  );

  app.post(
    "/api/v1/admin/sites",
    {
      schema: {
        tags: ["admin"],
        summary: "Add a site",
        body: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z0-9-]+$" }),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          origins: Type.Array(Origin, { maxItems: 100 }),
        }),
        response: { 201: SiteSchema, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireAdmin(request);
      const site = {
        id: request.body.id,
        name: request.body.name,
        origins: [...new Set(request.body.origins.map((o) => new URL(o).origin))],
      };
      try {
        await insertSite(deps.store.db, { ...site, now: deps.clock.now() });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(ErrorCodes.CONFLICT, "A site with this id exists.");
        throw error;
      }
      forgetSites();
      await audit(deps, deps.store.db, {
        siteId: site.id,
        actorId: actor.user.id,
        action: "site.create",
        targetType: "site",
        targetId: site.id,
        after: site,
      });
      return reply.code(201).send(site);
    },
  );

  app.patch(
    "/api/v1/admin/sites/:id",
    {
      schema: {
        tags: ["admin"],
        summary: "Rename a site or change its allowed origins",
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          origins: Type.Optional(Type.Array(Origin, { maxItems: 100 })),
        }),
        response: { 200: SiteSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireAdmin(request, request.params.id);
      const before = await siteOrThrow(request.params.id);
      const after = {
        id: before.id,
        name: request.body.name ?? before.name,
        origins: request.body.origins
          ? [...new Set(request.body.origins.map((o) => new URL(o).origin))]
          : before.origins,
      };
      await updateSite(deps.store.db, after);
      forgetSites();
      await audit(deps, deps.store.db, {
        siteId: before.id,
        actorId: actor.user.id,
        action: "site.update",
        targetType: "site",
        targetId: before.id,
        before: { name: before.name, origins: before.origins },
        after,
      });
      return after;
    },
  );
};
