/** True when a write failed on a primary-key or unique constraint, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}

const UNAVAILABLE = new Set([
  "SQLITE_BUSY",
  "SQLITE_FULL",
  "SQLITE_IOERR",
  "SQLITE_READONLY",
  "ECONNREFUSED",
  "ECONNRESET",
  "57P01",
  // A statement cancelled by statement_timeout (PARLEY_DB_STATEMENT_TIMEOUT_MS): stuck on a lock or a sick server.
  "57014",
  "57P03",
  "53300",
]);

/** True when the database cannot serve right now (busy, full, gone): a 503, not a 500. */
export function isUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = String((error as { code?: unknown }).code ?? "");
  return (
    UNAVAILABLE.has(code) ||
    code.startsWith("SQLITE_IOERR") ||
    code.startsWith("SQLITE_BUSY") ||
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout|is not queryable/i.test(
      String((error as { message?: unknown }).message),
    )
  );
}
