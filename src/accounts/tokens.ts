import { createHash, randomBytes } from "node:crypto";
import type { Deps } from "../deps.js";
import { badRequest } from "../errors.js";
import { ErrorCodes } from "../shared/codes.js";
import type { AccountTokensTable, Database } from "../store/schema.js";
import type { Transaction } from "kysely";
import * as store from "./store.js";

export const TOKEN_TTL_MS = 3600 * 1000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * A new single-use token for a mailed link (1 h), written in the caller's transaction (the
 * one that also queues its mail); older unused ones of the same purpose stop working.
 */
export async function issueAccountToken(
  deps: Deps,
  trx: Transaction<Database>,
  userId: string,
  purpose: AccountTokensTable["purpose"],
): Promise<{ id: string; token: string }> {
  const token = randomBytes(32).toString("base64url");
  const id = deps.ids.next();
  const now = deps.clock.now();
  await store.retireAccountTokens(trx, userId, purpose, now);
  await store.insertAccountToken(trx, {
    id,
    user_id: userId,
    purpose,
    token_hash: hashToken(token),
    created_at: now,
    expires_at: now + TOKEN_TTL_MS,
  });
  return { id, token };
}

/** Spends a token inside the caller's transaction; unknown, used and expired tokens answer alike. */
export async function spendAccountToken(
  deps: Deps,
  trx: Transaction<Database>,
  token: string,
  purpose: AccountTokensTable["purpose"],
): Promise<string> {
  const userId =
    token.length >= 20 && token.length <= 200
      ? await store.spendAccountToken(trx, hashToken(token), purpose, deps.clock.now())
      : undefined;
  if (!userId) throw badRequest(ErrorCodes.ACCOUNT_TOKEN_INVALID, "This link is invalid, used or expired; ask for a new one.");
  return userId;
}
