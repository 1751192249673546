import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { ServerResponse } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Actor, moderatesSomewhere, sitesWhere } from "../accounts/actor.js";
import { can, storySubject } from "../accounts/policies.js";
import { authenticate } from "../accounts/service.js";
import type { Deps } from "../deps.js";
import { AppError, forbidden, unauthenticated } from "../errors.js";
import { IdParams, errors } from "../http/schemas.js";
import { ErrorCodes } from "../shared/codes.js";
import { getStory } from "../stories/service.js";
import type { StoryEvent } from "./store.js";
import type { Subscriber } from "./hub.js";

const HEARTBEAT_MS = 20_000;
/** A reader whose unsent output passes this is too slow: dropped, it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 256 * 1024;

const streamsByIp = new Map<string, number>();

/** An event's bytes on the wire: bare, and as one chunk of a chunked (HTTP/1.1) response. */
interface EncodedFrame {
  bare: Buffer;
  chunk: Buffer;
}

interface Stream {
  raw: FastifyReply["raw"];
  write(text: string): boolean;
  send(frame: EncodedFrame): boolean;
}

/** EventSource cannot send headers: the token may come as `?token=` (redacted from logs). */
async function viewerOf(deps: Deps, request: FastifyRequest, token: string | undefined): Promise<Actor | null> {
  if (request.actor) return request.actor;
  if (!token) return null;
  const actor = await authenticate(deps, token);
  if (!actor) throw unauthenticated("Your session has expired; sign in again.");
  return actor;
}

function openStream(request: FastifyRequest, reply: FastifyReply): Stream {
  const ip = request.ip;
  const open = streamsByIp.get(ip) ?? 0;
  if (open >= request.server.deps.config.maxStreamsPerIp) {
    throw new AppError(429, ErrorCodes.RATE_LIMITED, "Too many live connections from this address.", undefined, {
      "retry-after": "30",
    });
  }
  streamsByIp.set(ip, open + 1);
  reply.raw.on("close", () => {
    const n = (streamsByIp.get(ip) ?? 1) - 1;
    if (n <= 0) streamsByIp.delete(ip);
    else streamsByIp.set(ip, n);
  });
  reply.hijack();
  const headers: Record<string, string | number | string[]> = {};
  for (const [key, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[key] = value;
  reply.raw.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    // The stream skips Fastify's onSend hooks, where every other answer gets these.
    "x-content-type-options": "nosniff",
  });
  // The head goes to the socket now: Node 24 holds a response's first writes in the response
  // until the next tick, and events written straight to the socket would overtake it.
  reply.raw.flushHeaders();
  const raw = reply.raw as ServerResponse & { chunkedEncoding?: boolean };
  const socket = raw.socket;
  // Every body byte then takes one path, so nothing written later can overtake it: on HTTP/1.1
  // straight to the socket as ready-made chunks (Node's per-write chunk framing costs a third of
  // a fan-out), otherwise through the response.
  const direct = raw.chunkedEncoding === true && socket !== null;
  const stream: Stream = {
    raw,
    write: (text) => (direct ? socket.write(chunked(Buffer.from(text))) : raw.write(text)),
    send: (event) => (direct ? socket.write(event.chunk) : raw.write(event.bare)),
  };
  stream.write("retry: 3000\n\n");
  return stream;
}

/** One chunk of a chunked (HTTP/1.1) response. */
const chunked = (bare: Buffer) =>
  Buffer.concat([Buffer.from(`${bare.length.toString(16)}\r\n`), bare, Buffer.from("\r\n")]);

/**
 * The hub hands the same event object to every reader of a story: its frame is encoded
 * once per event, not once per reader (10,000 readers would otherwise mean 10,000
 * JSON.stringify calls and string-to-bytes conversions per comment).
 */
const frames = new WeakMap<StoryEvent, EncodedFrame>();
function frame(event: StoryEvent): EncodedFrame {
  let encoded = frames.get(event);
  if (!encoded) {
    const data = JSON.stringify({ storyId: event.storyId, seq: event.seq, ...(event.payload as object) });
    const bare = Buffer.from(`id: ${event.seq}\nevent: ${event.type}\ndata: ${data}\n\n`);
    encoded = { bare, chunk: chunked(bare) };
    frames.set(event, encoded);
  }
  return encoded;
}

export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.get(
    "/api/v1/stories/:id/events",
    {
      schema: {
        tags: ["live"],
        summary:
          "Server-sent events of a story: comment.created, comment.published, comment.updated, comment.removed, reaction.changed, story.updated, story.corrected",
        description:
          "Resume with the Last-Event-ID header (or `lastEventId`). EventSource clients may pass `token` for their own held comments.",
        params: IdParams,
        querystring: Type.Object({
          token: Type.Optional(Type.String({ maxLength: 200 })),
          lastEventId: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        headers: Type.Object({ "last-event-id": Type.Optional(Type.String({ maxLength: 20, pattern: "^[0-9]+$" })) }),
        response: { 200: Type.String({ description: "text/event-stream" }), ...errors(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      const story = await getStory(deps, request.params.id);
      const viewer = await viewerOf(deps, request, request.query.token);
      const header = request.headers["last-event-id"];
      const fromSeq = header !== undefined ? Number(header) : (request.query.lastEventId ?? null);
      const stream = openStream(request, reply);
      const subscriber: Subscriber = {
        viewerId: viewer?.user.id ?? null,
        moderator: can(viewer, "change", storySubject(story)),
        deliver(event) {
          if (stream.raw.destroyed) return false;
          if (stream.raw.writableLength > MAX_BUFFERED_BYTES) {
            stream.raw.destroy();
            return false;
          }
          stream.send(frame(event));
          return true;
        },
        drop: () => stream.raw.end(),
      };
      const heartbeat = setInterval(() => stream.write(": ping\n\n"), HEARTBEAT_MS);
      stream.raw.on("close", () => {
        clearInterval(heartbeat);
        deps.live.unwatch(story.id, subscriber);
      });
      const position = await deps.live.watch(story.id, subscriber, fromSeq);
      if (fromSeq === null) stream.write(`id: ${position}\n: ready\n\n`);
    },
  );

  app.get(
    "/api/v1/moderation/events",
    {
      schema: {
        tags: ["live"],
        summary: "Server-sent events of queue changes, for moderators",
        querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Type.String({ description: "text/event-stream" }), ...errors(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const viewer = await viewerOf(deps, request, request.query.token);
      if (!viewer) throw unauthenticated();
      if (!moderatesSomewhere(viewer)) throw forbidden("Only moderators can follow the queues.");
      const sites = sitesWhere(viewer, "moderator");
      const stream = openStream(request, reply);
      const stop = deps.live.watchQueue((change) => {
        if (sites !== "all" && !sites.includes(change.siteId)) return;
        if (stream.raw.writableLength > MAX_BUFFERED_BYTES) return void stream.raw.destroy();
        stream.write(`event: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`);
      });
      const heartbeat = setInterval(() => stream.write(": ping\n\n"), HEARTBEAT_MS);
      stream.raw.on("close", () => {
        clearInterval(heartbeat);
        stop();
      });
    },
  );
};
