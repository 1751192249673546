import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { DIALECTS, freshDatabase } from "../../test/helpers.js";
import { openStore } from "./db.js";
import { pgTimeouts } from "./pg-timeouts.js";

describe("PostgreSQL statement bounds", () => {
  it("asks the server to cancel first and gives up on a silent server a little later; 0 sets neither", () => {
    assert.deepEqual(pgTimeouts(10_000), { statement_timeout: 10_000, query_timeout: 12_500 });
    assert.deepEqual(pgTimeouts(200), { statement_timeout: 200, query_timeout: 1200 });
    assert.deepEqual(pgTimeouts(0), {});
  });

  const postgres = DIALECTS.find((d) => d.dialect === "postgres");
  it("binds the store's statements, not its migrations", { skip: postgres?.skip }, async () => {
    const database = await freshDatabase("postgres");
    // Migrating under a 1 ms bound would fail at once; they run on their own connection.
    const store = await openStore(database.url, { poolSize: 1, statementTimeoutMs: 1 });
    try {
      await assert.rejects(sql`select pg_sleep(0.5)`.execute(store.db), (error: { code?: string }) => error.code === "57014");
      const unbound = await openStore(database.url, { poolSize: 1, migrate: false });
      try {
        await sql`select pg_sleep(0.05)`.execute(unbound.db);
      } finally {
        await unbound.close();
      }
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
