import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Actor } from "../accounts/actor.js";
import { authenticate } from "../accounts/service.js";
import { unauthenticated } from "../errors.js";
import { actorFromCookie } from "./cookies.js";

/** Reads `Authorization: Bearer <token>` once per request; routes ask for `requireActor`. */
export function installAuth(app: FastifyInstance): void {
  app.decorateRequest("actor", null);
  app.addHook("preHandler", async (request) => {
    // A route with a bearer token of its own (the metrics token) reads the header itself.
    if ((request.routeOptions.config as { ownBearer?: boolean } | undefined)?.ownBearer) return;
    const header = request.headers.authorization;
    if (!header) return void (request.actor = await actorFromCookie(app.deps, request));
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated("The Authorization header must be `Bearer <token>`.");
    const actor = await authenticate(app.deps, match[1]);
    if (!actor) throw unauthenticated("Your session has expired; sign in again.");
    request.actor = actor;
  });
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers["idempotency-key"];
  return Array.isArray(value) ? value[0] : value;
}
