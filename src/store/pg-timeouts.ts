import type pg from "pg";

/**
 * How long PostgreSQL may take over one statement, as extra pool settings for `openStore`.
 *
 * Two bounds, because a request must never wait on the database forever:
 * - `statement_timeout` (sent when each connection starts) makes the server cancel a statement
 *   that runs, or waits on a lock, for longer: it fails with 57014, a 503 (src/store/errors.ts).
 * - `query_timeout`, a little longer, is pg's own clock for a server that stops answering at
 *   all (a hung host, a stalled network path): the query fails with "Query read timeout".
 *
 * After pg's own timeout the connection still has a statement in flight. Inside a transaction
 * Kysely's ROLLBACK then fails too, and Kysely discards the connection rather than hand it back
 * to the pool with its transaction open (test/durability/faults.test.ts holds it to that).
 * `0` turns both bounds off.
 */
export function pgTimeouts(statementTimeoutMs: number): Pick<pg.PoolConfig, "statement_timeout" | "query_timeout"> {
  if (statementTimeoutMs <= 0) return {};
  return { statement_timeout: statementTimeoutMs, query_timeout: clientTimeoutMs(statementTimeoutMs) };
}

/** The server cancels first; pg's clock runs a quarter longer (at least 1 s) for a server that is silent. */
export const clientTimeoutMs = (statementTimeoutMs: number) => statementTimeoutMs + Math.max(1000, Math.round(statementTimeoutMs / 4));
