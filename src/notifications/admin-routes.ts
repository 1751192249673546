import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { sitesWhere } from "../accounts/actor.js";
import { findUserById } from "../accounts/store.js";
import { requireAdminOf, requireModeratorOf } from "../accounts/guards.js";
import { conflict, forbidden, notFound, validationFailed } from "../errors.js";
import { requireActor } from "../http/auth.js";
import { errors } from "../http/schemas.js";
import { audit } from "../audit/log.js";
import { ErrorCodes } from "../shared/codes.js";
import { DEFAULT_SITE_ID, listSites } from "../site/service.js";
import { DeliverySchema, EVENT_TYPES, WebhookSchema, WebhookSecretSchema } from "../shared/notifications.js";
import { addNotification } from "./inbox.js";
import { deadJobs, presentJob, requeueDead } from "./outbox.js";
import { type SiteNotificationSettings, SiteNotificationSettingsSchema, changeSiteNotificationSettings, siteNotificationSettings } from "./prefs.js";
import { checkWebhookUrl } from "../outbound/webhook-target.js";
import { deleteEndpoint, deliveryOwner, endpointIdsOf, insertEndpoint, jobState, saveEndpoint } from "./store.js";
import { type Endpoint, findEndpoint, listDeliveries, newSecret, replayDelivery } from "./webhooks.js";

const Id = Type.String({ maxLength: 64 });
const SiteQuery = Type.Object({ siteId: Type.Optional(Type.String({ maxLength: 64 })) });
const Url = Type.String({ maxLength: 2000, pattern: "^https?://[^\\s@]+$", description: "http(s), no credentials in the URL" });
const Events = Type.Array(Type.Union([...EVENT_TYPES.map((e) => Type.Literal(e)), Type.Literal("*")]), { minItems: 1, maxItems: 20 });
const EndpointSchema = WebhookSchema;
const SecretSchema = WebhookSecretSchema;
const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  key: Type.String(),
  siteId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const present = (e: Endpoint) => ({
  id: e.id,
  siteId: e.siteId,
  url: e.url,
  events: e.events,
  active: e.active,
  secrets: e.secrets.map((s) => ({ id: s.id, createdAt: s.createdAt, hint: s.secret.slice(-4) })),
});

/** Admins: webhooks (secrets, deliveries, replay), the dead-letter view, per-site mail switches; moderators: staff messages. */
export const notificationAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const db = deps.store.db;

  const siteOf = async (request: FastifyRequest, siteId: string) => {
    const actor = requireAdminOf(request, siteId);
    if (!(await listSites(deps)).some((s) => s.id === siteId)) throw notFound("Site");
    return actor;
  };
  // Callers who administer no site are refused before any lookup, so a missing id tells them nothing.
  const requireSomeAdmin = (request: FastifyRequest) => {
    const actor = requireActor(request);
    const sites = sitesWhere(actor, "admin");
    if (sites !== "all" && sites.length === 0) throw forbidden("Only admins can do this.");
  };
  const endpointOf = async (request: FastifyRequest, id: string) => {
    requireSomeAdmin(request);
    const endpoint = await findEndpoint(db, id);
    if (!endpoint) throw notFound("Webhook");
    const actor = requireAdminOf(request, endpoint.siteId);
    return { endpoint, actor };
  };
  const save = (e: Endpoint) => saveEndpoint(db, e, deps.clock.now());
  const log = (actorId: string, siteId: string, action: string, id: string, after?: unknown) =>
    audit(deps, db, { siteId, actorId, action, targetType: "settings", targetId: id, after });

  app.get(
    "/api/v1/admin/webhooks",
    { schema: { tags: ["admin"], summary: "A site's webhooks (secrets hidden)", querystring: SiteQuery, response: { 200: Type.Object({ items: Type.Array(EndpointSchema) }), ...errors(401, 403, 404) } } },
    async (request) => {
      const siteId = request.query.siteId ?? DEFAULT_SITE_ID;
      await siteOf(request, siteId);
      const items = await Promise.all((await endpointIdsOf(db, siteId)).map((id) => findEndpoint(db, id)));
      return { items: items.filter((e): e is Endpoint => e !== undefined).map(present) };
    },
  );

  app.post(
    "/api/v1/admin/webhooks",
    {
      schema: {
        tags: ["admin"],
        summary: "Add a webhook; its first signing secret is in the answer, and only there",
        body: Type.Object({ siteId: Type.Optional(Id), url: Url, events: Events }, { additionalProperties: false }),
        response: { 201: Type.Object({ webhook: EndpointSchema, secret: SecretSchema }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const siteId = request.body.siteId ?? DEFAULT_SITE_ID;
      const actor = await siteOf(request, siteId);
      checkWebhookUrl(request.body.url, deps.config.webhookAllowPrivate);
      const secret = newSecret(deps);
      const endpoint: Endpoint = { id: deps.ids.next(), siteId, url: request.body.url, events: request.body.events, secrets: [secret], active: true };
      await insertEndpoint(db, endpoint, deps.clock.now());
      await log(actor.user.id, siteId, "webhook.create", endpoint.id, { url: endpoint.url, events: endpoint.events });
      return reply.code(201).send({ webhook: present(endpoint), secret });
    },
  );

  app.patch(
    "/api/v1/admin/webhooks/:id",
    {
      schema: {
        tags: ["admin"],
        summary: "Change a webhook's URL, events, or pause it",
        params: Type.Object({ id: Id }),
        body: Type.Object({ url: Type.Optional(Url), events: Type.Optional(Events), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ webhook: EndpointSchema }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { endpoint, actor } = await endpointOf(request, request.params.id);
      if (request.body.url !== undefined) checkWebhookUrl(request.body.url, deps.config.webhookAllowPrivate);
      const { url, events, active } = request.body;
      const changed = { ...endpoint, url: url ?? endpoint.url, events: events ?? endpoint.events, active: active ?? endpoint.active };
      await save(changed);
      await log(actor.user.id, endpoint.siteId, "webhook.update", endpoint.id, request.body);
      return { webhook: present(changed) };
    },
  );

  app.delete(
    "/api/v1/admin/webhooks/:id",
    { schema: { tags: ["admin"], summary: "Remove a webhook and its delivery log", params: Type.Object({ id: Id }), response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (request, reply) => {
      const { endpoint, actor } = await endpointOf(request, request.params.id);
      await deleteEndpoint(db, endpoint.id);
      await log(actor.user.id, endpoint.siteId, "webhook.delete", endpoint.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/admin/webhooks/:id/secrets",
    {
      schema: {
        tags: ["admin"],
        summary: "Add a signing secret (rotation: every active secret signs until the old one is removed)",
        params: Type.Object({ id: Id }),
        response: { 201: Type.Object({ secret: SecretSchema }), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { endpoint, actor } = await endpointOf(request, request.params.id);
      if (endpoint.secrets.length >= 5) throw conflict(ErrorCodes.CONFLICT, "A webhook has at most five secrets; remove an old one first.");
      const secret = newSecret(deps);
      await save({ ...endpoint, secrets: [...endpoint.secrets, secret] });
      await log(actor.user.id, endpoint.siteId, "webhook.secret.add", endpoint.id, { secretId: secret.id });
      return reply.code(201).send({ secret });
    },
  );

  app.delete(
    "/api/v1/admin/webhooks/:id/secrets/:secretId",
    {
      schema: {
        tags: ["admin"],
        summary: "Retire a signing secret (never the last one)",
        params: Type.Object({ id: Id, secretId: Id }),
        response: { 200: Type.Object({ webhook: EndpointSchema }), ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { endpoint, actor } = await endpointOf(request, request.params.id);
      const secrets = endpoint.secrets.filter((s) => s.id !== request.params.secretId);
      if (secrets.length === endpoint.secrets.length) throw notFound("Secret");
      if (secrets.length === 0) throw conflict(ErrorCodes.CONFLICT, "A webhook keeps at least one secret; add the new one first.");
      const changed = { ...endpoint, secrets };
      await save(changed);
      await log(actor.user.id, endpoint.siteId, "webhook.secret.remove", endpoint.id, { secretId: request.params.secretId });
      return { webhook: present(changed) };
    },
  );

  app.get(
    "/api/v1/admin/webhooks/:id/deliveries",
    {
      schema: {
        tags: ["admin"],
        summary: "A webhook's recent delivery attempts, newest first",
        params: Type.Object({ id: Id }),
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })), cursor: Type.Optional(Id) }),
        response: { 200: Type.Object({ items: Type.Array(DeliverySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const { endpoint } = await endpointOf(request, request.params.id);
      const limit = request.query.limit ?? 50;
      const rows = await listDeliveries(deps.store.read, endpoint.id, limit + 1, request.query.cursor);
      const items = rows.slice(0, limit).map((d) => ({
        id: d.id,
        eventId: d.event_id,
        eventType: d.event_type,
        attempt: d.attempt,
        statusCode: d.status_code,
        error: d.error,
        durationMs: d.duration_ms,
        createdAt: new Date(d.created_at).toISOString(),
      }));
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
    },
  );

  app.post(
    "/api/v1/admin/webhooks/deliveries/:id/replay",
    {
      schema: {
        tags: ["admin"],
        summary: "Send a delivery's event again (same body and event id, fresh signature)",
        params: Type.Object({ id: Id }),
        response: { 202: Type.Object({ jobId: Type.String() }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireSomeAdmin(request);
      const delivery = await deliveryOwner(db, request.params.id);
      if (!delivery) throw notFound("Delivery");
      const actor = requireAdminOf(request, delivery.siteId);
      const replayed = await replayDelivery(deps, request.params.id);
      if (!replayed) throw notFound("Delivery");
      await log(actor.user.id, delivery.siteId, "webhook.replay", delivery.endpointId, { deliveryId: request.params.id, jobId: replayed.jobId });
      return reply.code(202).send({ jobId: replayed.jobId });
    },
  );

  app.get(
    "/api/v1/admin/outbox/dead",
    {
      schema: {
        tags: ["admin"],
        summary: "Jobs that ran out of attempts (dead letters), newest first; without siteId, every site's (installation admins)",
        querystring: Type.Object({ siteId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })), cursor: Type.Optional(Id) }),
        response: { 200: Type.Object({ items: Type.Array(JobSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(401, 403) },
      },
    },
    async (request) => {
      const { siteId, limit = 50, cursor } = request.query;
      requireAdminOf(request, siteId);
      const rows = await deadJobs(deps.store.read, siteId ?? null, limit + 1, cursor);
      const items = rows.slice(0, limit).map(presentJob);
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
    },
  );

  app.post(
    "/api/v1/admin/outbox/jobs/:id/retry",
    {
      schema: {
        tags: ["admin"],
        summary: "Send a dead job round again with a fresh set of attempts",
        params: Type.Object({ id: Id }),
        response: { 200: Type.Object({ job: JobSchema }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const job = await jobState(db, request.params.id);
      const actor = requireAdminOf(request, job?.siteId ?? undefined);
      if (!job || job.status !== "dead") throw notFound("Dead job");
      const row = await requeueDead(deps, request.params.id);
      if (!row) throw notFound("Dead job");
      await audit(deps, db, { siteId: row.site_id, actorId: actor.user.id, action: "outbox.retry", targetType: "settings", targetId: row.id });
      return { job: presentJob(row) };
    },
  );

  app.get(
    "/api/v1/admin/notification-settings",
    {
      schema: {
        tags: ["admin"],
        summary: "Which e-mails a site sends at all (readers choose within them)",
        querystring: SiteQuery,
        response: { 200: Type.Object({ siteId: Type.String(), notifications: SiteNotificationSettingsSchema }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const siteId = request.query.siteId ?? DEFAULT_SITE_ID;
      await siteOf(request, siteId);
      return { siteId, notifications: await siteNotificationSettings(deps, siteId) };
    },
  );

  app.patch(
    "/api/v1/admin/notification-settings",
    {
      schema: {
        tags: ["admin"],
        summary: "Change which e-mails a site sends (partial; audited)",
        querystring: SiteQuery,
        body: Type.Object({ notifications: Type.Object({ emails: Type.Optional(Type.Partial(SiteNotificationSettingsSchema.properties.emails)) }, { additionalProperties: false }) }),
        response: { 200: Type.Object({ siteId: Type.String(), notifications: SiteNotificationSettingsSchema }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const siteId = request.query.siteId ?? DEFAULT_SITE_ID;
      const actor = await siteOf(request, siteId);
      const before = await siteNotificationSettings(deps, siteId);
      const { after } = await changeSiteNotificationSettings(deps, siteId, { emails: pickEmails(before.emails, request.body.notifications.emails) });
      await audit(deps, db, { siteId, actorId: actor.user.id, action: "settings.notifications", targetType: "settings", targetId: siteId, before, after });
      return { siteId, notifications: after };
    },
  );

  app.post(
    "/api/v1/moderation/users/:id/messages",
    {
      schema: {
        tags: ["moderation"],
        summary: "Send a reader a message from the staff (shown in their notifications)",
        params: Type.Object({ id: Id }),
        body: Type.Object({ message: Type.String({ minLength: 1, maxLength: 2000 }), siteId: Type.Optional(Id) }),
        response: { 201: Type.Object({ id: Type.String() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = requireModeratorOf(request, request.body.siteId);
      const message = request.body.message.trim();
      if (!message) throw validationFailed("A message needs text.");
      const user = await findUserById(db, request.params.id);
      if (!user) throw notFound("User");
      const key = `staff:${deps.ids.next()}`;
      const id = await db.transaction().execute(async (trx) => {
        const added = await addNotification(trx, deps, {
          key,
          userId: user.id,
          kind: "staff",
          siteId: request.body.siteId ?? null,
          actorId: actor.user.id,
          data: { message },
        });
        await audit(deps, trx, { siteId: request.body.siteId ?? null, actorId: actor.user.id, action: "user.message", targetType: "user", targetId: user.id });
        return added;
      });
      return reply.code(201).send({ id: id ?? key });
    },
  );
};

/** The site's mail switches with the ones a request names changed, field by field. */
function pickEmails(before: SiteNotificationSettings["emails"], asked: Partial<SiteNotificationSettings["emails"]> | undefined) {
  return {
    replies: asked?.replies ?? before.replies,
    mentions: asked?.mentions ?? before.mentions,
    moderation: asked?.moderation ?? before.moderation,
    follows: asked?.follows ?? before.follows,
  };
}
