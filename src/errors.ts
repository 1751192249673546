import { type ErrorCode, ErrorCodes } from "./shared/codes.js";

/** An error the client can act on: a status, a stable code, a message and optional details. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const validationFailed = (message: string, details?: Record<string, unknown>) =>
  new AppError(400, ErrorCodes.VALIDATION_FAILED, message, details);
export const unauthenticated = (message = "Sign in to do this.") =>
  new AppError(401, ErrorCodes.UNAUTHENTICATED, message);
export const forbidden = (message = "You are not allowed to do this.") =>
  new AppError(403, ErrorCodes.FORBIDDEN, message);
export const notFound = (what: string) => new AppError(404, ErrorCodes.NOT_FOUND, `${what} not found.`);
export const conflict = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details);
export const rateLimited = (retryAfterSeconds: number, message = "Too many requests; try again shortly.") =>
  new AppError(
    429,
    ErrorCodes.RATE_LIMITED,
    message,
    { retryAfterSeconds },
    {
      "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))),
    },
  );
