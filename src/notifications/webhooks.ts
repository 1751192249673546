import { createHmac, randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { Database, OutboxJobRow } from "../store/schema.js";
import type { EventType, OutboxEvent } from "./events.js";
import { enqueue } from "./outbox.js";
import { postWebhook } from "../outbound/webhook-target.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface WebhookSecret {
  id: string;
  secret: string;
  createdAt: string;
}

export interface Endpoint {
  id: string;
  siteId: string;
  url: string;
  events: (EventType | "*")[];
  secrets: WebhookSecret[];
  active: boolean;
}

/** What a `webhook` job carries: the exact body to send, so every retry and replay sends the same bytes. */
export interface WebhookJob {
  endpointId: string;
  eventId: string;
  eventType: string;
  body: string;
}

const TIMEOUT_MS = 10_000;
export const SIGNATURE_HEADER = "parley-webhook-signature";

export const newSecret = (deps: Deps): WebhookSecret => ({
  id: deps.ids.next(),
  secret: `whsec_${randomBytes(32).toString("base64url")}`,
  createdAt: new Date(deps.clock.now()).toISOString(),
});

/** `v1=<hex>` per secret: HMAC-SHA256 over "<timestamp>.<body>". */
export function sign(secrets: readonly { secret: string }[], timestamp: number, body: string): string {
  return secrets.map((s) => `v1=${createHmac("sha256", s.secret).update(`${timestamp}.${body}`).digest("hex")}`).join(" ");
}

export async function listEndpoints(db: Db, siteId: string | null): Promise<Endpoint[]> {
  let q = db.selectFrom("webhook_endpoints").selectAll();
  if (siteId !== null) q = q.where("site_id", "=", siteId);
  const rows = await q.orderBy("created_at").execute();
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    url: r.url,
    events: JSON.parse(r.events) as Endpoint["events"],
    secrets: JSON.parse(r.secrets) as WebhookSecret[],
    active: r.active === 1,
  }));
}

export async function findEndpoint(db: Db, id: string): Promise<Endpoint | undefined> {
  const row = await db.selectFrom("webhook_endpoints").select("site_id").where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  return (await listEndpoints(db, row.site_id)).find((e) => e.id === id);
}

/** The JSON body receivers get (documented in docs/NOTIFICATIONS.md). */
export function webhookBody(event: OutboxEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.occurredAt, siteId: event.siteId, data: stripType(event.data) });
}

function stripType(data: OutboxEvent["data"]): Record<string, unknown> {
  const { type: _type, ...rest } = data;
  return rest;
}

/** One delivery job per active endpoint that subscribes to the event (a site-less event goes to every site). */
export async function queueWebhooks(trx: Transaction<Database>, deps: Deps, event: OutboxEvent): Promise<void> {
  const endpoints = (await listEndpoints(trx, event.siteId)).filter(
    (e) => e.active && (e.events.includes("*") || e.events.includes(event.type)),
  );
  if (endpoints.length === 0) return;
  const body = webhookBody(event);
  for (const endpoint of endpoints) {
    const payload: WebhookJob = { endpointId: endpoint.id, eventId: event.id, eventType: event.type, body };
    await enqueue(trx, deps, { kind: "webhook", key: `webhook:${event.id}:${endpoint.id}`, siteId: endpoint.siteId, payload });
  }
}

/** Sends one delivery and logs it; a non-2xx answer or no answer throws, so the job is retried. */
export async function deliverWebhook(deps: Deps, job: OutboxJobRow): Promise<void> {
  const p = JSON.parse(job.payload) as WebhookJob;
  const endpoint = await findEndpoint(deps.store.db, p.endpointId);
  // Deleted or paused by an admin: nothing is owed to it any more.
  if (!endpoint || !endpoint.active) return;
  const timestamp = Math.floor(deps.clock.now() / 1000);
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    status = await postWebhook(endpoint.url, {
      timeoutMs: TIMEOUT_MS,
      allowPrivate: deps.config.webhookAllowPrivate,
      headers: {
        "content-type": "application/json",
        "user-agent": "Parley-Webhooks/1",
        "parley-webhook-id": p.eventId,
        "parley-webhook-event": p.eventType,
        "parley-webhook-timestamp": String(timestamp),
        "parley-webhook-attempt": String(job.attempts),
        [SIGNATURE_HEADER]: sign(endpoint.secrets, timestamp, p.body),
      },
      body: p.body,
    });
    // Redirects are not followed (their target was never checked): a 3xx fails like a 5xx.
    if (status < 200 || status > 299) error = `HTTP ${status}`;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  await deps.store.db
    .insertInto("webhook_deliveries")
    .values({
      id: deps.ids.next(),
      endpoint_id: endpoint.id,
      site_id: endpoint.siteId,
      job_id: job.id,
      event_id: p.eventId,
      event_type: p.eventType,
      attempt: job.attempts,
      status_code: status,
      error,
      duration_ms: Math.round(performance.now() - started),
      created_at: deps.clock.now(),
    })
    .execute();
  if (error) throw new Error(error);
}

/** Sends a logged delivery's event again, as a new job with the same event id (receivers dedupe on it). */
export async function replayDelivery(deps: Deps, deliveryId: string): Promise<{ jobId: string; siteId: string } | null> {
  const delivery = await deps.store.db.selectFrom("webhook_deliveries").selectAll().where("id", "=", deliveryId).executeTakeFirst();
  if (!delivery) return null;
  const job = await deps.store.db.selectFrom("outbox_jobs").select("payload").where("id", "=", delivery.job_id).executeTakeFirst();
  if (!job) return null;
  const jobId = await enqueue(deps.store.db, deps, {
    kind: "webhook",
    key: `replay:${delivery.job_id}:${deps.ids.next()}`,
    siteId: delivery.site_id,
    payload: JSON.parse(job.payload) as WebhookJob,
  });
  return jobId ? { jobId, siteId: delivery.site_id } : null;
}

export async function listDeliveries(db: Db, endpointId: string, limit: number, before?: string) {
  let q = db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpointId);
  if (before) q = q.where("id", "<", before);
  return q.orderBy("id", "desc").limit(limit).execute();
}

export async function pruneDeliveries(db: Kysely<Database>, before: number): Promise<void> {
  await db.deleteFrom("webhook_deliveries").where("created_at", "<", before).execute();
}
