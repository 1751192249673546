import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import type { Actor } from "./accounts/actor.js";
import type { Deps } from "./deps.js";
import { AppError } from "./errors.js";
import { ErrorCodes } from "./shared/codes.js";
import type { Database } from "./store/schema.js";
import { isUniqueViolation } from "./store/errors.js";
import { findIdempotent, saveIdempotent } from "./store/idempotency.js";

const WINDOW_MS = 24 * 3600 * 1000;

export interface Outcome<T> {
  statusCode: number;
  body: T;
}

export interface IdempotencyRequest {
  key: string | undefined;
  /** What makes two requests "the same": method, route and body. */
  fingerprint: unknown;
}

/**
 * Runs a creating write in one transaction with its idempotency record, so a retry
 * with the same key returns the first response and a crash can never split the two.
 * Note: the replay check and the write are separate steps; two concurrent requests with
 * one key both prepare, and the loser of the insert race answers with the winner's response.
 */
export async function idempotentWrite<P, T>(
  deps: Deps,
  actor: Actor,
  request: IdempotencyRequest,
  prepare: () => Promise<P>,
  write: (trx: Transaction<Database>, prepared: P) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const key = request.key;
  if (key === undefined) {
    const prepared = await prepare();
    return deps.store.db.transaction().execute((trx) => write(trx, prepared));
  }
  if (key.length === 0 || key.length > 200) {
    throw new AppError(400, ErrorCodes.VALIDATION_FAILED, "Idempotency-Key must be 1 to 200 characters.");
  }
  const fingerprint = createHash("sha256").update(JSON.stringify(request.fingerprint)).digest("hex");
  const replay = async (): Promise<Outcome<T> | undefined> => {
    const stored = await findIdempotent(deps.store.db, actor.user.id, key, deps.clock.now() - WINDOW_MS);
    if (!stored) return undefined;
    if (stored.fingerprint !== fingerprint) {
      throw new AppError(
        422,
        ErrorCodes.IDEMPOTENCY_KEY_REUSED,
        "This Idempotency-Key was already used for a different request.",
      );
    }
    // Stored by a sibling worker, its commit may not be on disk yet: a replay acknowledges it too.
    await deps.store.durable?.();
    return { statusCode: stored.statusCode, body: stored.body as T };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  // Checks and moderation run before the transaction, so slow phases never hold the write lock.
  const prepared = await prepare();
  try {
    return await deps.store.db.transaction().execute(async (trx) => {
      const outcome = await write(trx, prepared);
      await saveIdempotent(trx, {
        userId: actor.user.id,
        key,
        fingerprint,
        statusCode: outcome.statusCode,
        body: outcome.body,
        now: deps.clock.now(),
        expiredBefore: deps.clock.now() - WINDOW_MS,
      });
      return outcome;
    });
  } catch (error) {
    // Another request with the same key won the race; its response is the answer.
    if (isUniqueViolation(error)) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}

/**
 * For writes that are naturally at-most-once (a unique constraint refuses the second one):
 * a retry with the same key gets the first response instead of the refusal. The record is
 * saved after the write; if the process dies in between, the retry meets the constraint.
 */
export async function rememberedResponse<T>(
  deps: Deps,
  actor: Actor,
  request: IdempotencyRequest,
  run: () => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  if (request.key === undefined) return run();
  return idempotentWrite(deps, actor, request, run, async (_trx, outcome) => outcome);
}
