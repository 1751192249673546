/**
 * `POST /api/v1/analyze`: Perspective's `comments:analyze`, answered by the local model,
 * for an admin or a caller with an API key (`?key=` as Perspective takes it, or
 * `x-api-key`). The same handler also answers at Perspective's own path, so a tool built
 * on Perspective only changes its base URL.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { forbidden, unauthenticated } from "../errors.js";
import { errors } from "../http/schemas.js";
import { AnalyzeRequestSchema, AnalyzeResponseSchema, analyze } from "./analyze.js";

const digest = (key: string) => createHash("sha256").update(key).digest();

/** Admins, and holders of a configured key; a wrong key is refused even for an admin. */
function authorizeAnalyze(request: FastifyRequest, keys: Buffer[], key: string | undefined): void {
  if (key !== undefined) {
    const given = digest(key);
    // Compare every key in constant time, so timing tells nothing about which one is close.
    let ok = false;
    for (const k of keys) ok = timingSafeEqual(k, given) || ok;
    if (!ok) throw unauthenticated("The API key is not valid.");
    return;
  }
  if (!request.actor) throw unauthenticated("Sign in as an admin or send an API key (?key= or x-api-key).");
  if (request.actor.user.role !== "admin") throw forbidden("Only admins, or callers with an API key, may analyze text.");
}

export const analyzeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const keys = app.deps.config.analyzeApiKeys.map(digest);
  const schema = {
    tags: ["classifier"],
    summary: "Score a text in Perspective's comments:analyze shape (admin or API key)",
    description:
      "Attributes TOXICITY, SEVERE_TOXICITY, IDENTITY_ATTACK, INSULT, PROFANITY, THREAT and SPAM, from Parley's local model. " +
      "With spanAnnotations, each sentence is scored too. The text is never stored.",
    querystring: Type.Object({ key: Type.Optional(Type.String({ maxLength: 500 })) }),
    headers: Type.Object({ "x-api-key": Type.Optional(Type.String({ maxLength: 500 })) }),
    body: AnalyzeRequestSchema,
    response: { 200: AnalyzeResponseSchema, ...errors(400, 401, 403) },
  };
  for (const [url, hide] of [["/api/v1/analyze", false], ["/v1alpha1/comments::analyze", true]] as const) {
    app.post(url, { schema: { ...schema, hide } }, async (request) => {
      authorizeAnalyze(request, keys, request.query.key ?? request.headers["x-api-key"]);
      return analyze(request.body);
    });
  }
};
