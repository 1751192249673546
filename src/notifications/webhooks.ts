import { createHmac, randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Deps } from "../deps.js";
import type { Database, OutboxJobRow } from "../store/schema.js";
import type { EventType, OutboxEvent } from "./events.js";
import { enqueue } from "./outbox.js";
import { endpointSite, findDelivery, insertDelivery, listEndpoints } from "./store.js";
import { jobPayload } from "./store-outbox.js";
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

export { listDeliveries, listEndpoints, pruneDeliveries } from "./store.js";

export async function findEndpoint(db: Db, id: string): Promise<Endpoint | undefined> {
  const siteId = await endpointSite(db, id);
  if (siteId === undefined) return undefined;
  return (await listEndpoints(db, siteId)).find((e) => e.id === id);
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
  await insertDelivery(deps.store.db, {
    id: deps.ids.next(),
    endpointId: endpoint.id,
    siteId: endpoint.siteId,
    jobId: job.id,
    eventId: p.eventId,
    eventType: p.eventType,
    attempt: job.attempts,
    statusCode: status,
    error,
    durationMs: Math.round(performance.now() - started),
    now: deps.clock.now(),
  });
  if (error) throw new Error(error);
}

/** Sends a logged delivery's event again, as a new job with the same event id (receivers dedupe on it). */
export async function replayDelivery(deps: Deps, deliveryId: string): Promise<{ jobId: string; siteId: string } | null> {
  const delivery = await findDelivery(deps.store.db, deliveryId);
  if (!delivery) return null;
  const payload = await jobPayload(deps.store.db, delivery.jobId);
  if (payload === undefined) return null;
  const jobId = await enqueue(deps.store.db, deps, {
    kind: "webhook",
    key: `replay:${delivery.jobId}:${deps.ids.next()}`,
    siteId: delivery.siteId,
    payload: JSON.parse(payload) as WebhookJob,
  });
  return jobId ? { jobId, siteId: delivery.siteId } : null;
}
