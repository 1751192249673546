import type { FastifyError, FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import { ErrorCodes, type ErrorBody } from "../shared/codes.js";
import { isUnavailable } from "../store/errors.js";

function fromFastify(error: FastifyError): { status: number; body: ErrorBody } {
  if (error.validation) {
    const first = error.validation[0];
    const where = `${error.validationContext ?? "request"}${first?.instancePath ?? ""}`;
    return {
      status: 400,
      body: {
        error: {
          code: ErrorCodes.VALIDATION_FAILED,
          message: `Invalid ${where}: ${first?.message ?? "bad value"}.`,
          details: { issues: error.validation.map((v) => ({ path: v.instancePath, message: v.message })) },
        },
      },
    };
  }
  const status = error.statusCode ?? 500;
  if (status === 413)
    return {
      status,
      body: { error: { code: ErrorCodes.PAYLOAD_TOO_LARGE, message: "The request body is too large." } },
    };
  if (status === 415) {
    return {
      status,
      body: {
        error: { code: ErrorCodes.UNSUPPORTED_MEDIA_TYPE, message: "Send JSON (Content-Type: application/json)." },
      },
    };
  }
  if (
    status === 400 &&
    (error instanceof SyntaxError || /JSON/i.test(error.code ?? "") || /JSON/.test(error.message))
  ) {
    return {
      status,
      body: { error: { code: ErrorCodes.INVALID_JSON, message: "The request body is not valid JSON." } },
    };
  }
  if (status >= 400 && status < 500) {
    return { status, body: { error: { code: ErrorCodes.VALIDATION_FAILED, message: error.message } } };
  }
  return { status: 500, body: { error: { code: ErrorCodes.INTERNAL, message: "Something went wrong on our side." } } };
}

/** One error shape for every 4xx and 5xx; details of 5xx stay in the log. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      return reply.code(error.status).send({
        error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      });
    }
    // The client hung up while sending its body: its own doing, not the database's, and nobody is left to answer.
    if (request.raw.aborted || (error.code === "ECONNRESET" && request.raw.destroyed) || error.message === "aborted") {
      request.log.info({ code: error.code }, "the client aborted its request");
      return reply.code(400).send({ error: { code: ErrorCodes.REQUEST_ABORTED, message: "The request was aborted by the client." } });
    }
    if (isUnavailable(error)) {
      request.log.error({ err: error }, "database unavailable");
      reply.header("retry-after", "5");
      return reply.code(503).send({
        error: { code: ErrorCodes.SERVICE_UNAVAILABLE, message: "The service is briefly unavailable; try again." },
      });
    }
    const { status, body } = fromFastify(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { code: ErrorCodes.NOT_FOUND, message: `No route for ${request.method} ${request.url.split("?")[0]}.` },
    }),
  );
}
