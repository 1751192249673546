import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pgTimeouts } from "./pg-timeouts.js";

describe("PostgreSQL statement bounds", () => {
  it("asks the server to cancel first and gives up on a silent server a little later; 0 sets neither", () => {
    assert.deepEqual(pgTimeouts(10_000), { statement_timeout: 10_000, query_timeout: 12_500 });
    assert.deepEqual(pgTimeouts(200), { statement_timeout: 200, query_timeout: 1200 });
    assert.deepEqual(pgTimeouts(0), {});
  });
});
