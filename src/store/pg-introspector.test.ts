import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pg from "pg";
import { DIALECTS, freshDatabase, PG_URL } from "../../test/helpers.js";
import { openStore } from "./db.js";

const postgres = DIALECTS.find((d) => d.dialect === "postgres");

describe("PostgreSQL introspection kept to the store's schema", { skip: postgres?.skip }, () => {
  it("lists the store's own tables and none of another schema's", async () => {
    const database = await freshDatabase("postgres");
    const other = await freshDatabase("postgres");
    const store = await openStore(database.url, { poolSize: 1 });
    const neighbour = await openStore(other.url, { poolSize: 1, migrate: false });
    try {
      await neighbour.db.schema.createTable("not_parleys").addColumn("id", "serial", (c) => c.primaryKey()).execute();
      const tables = await store.db.introspection.getTables();
      const names = tables.map((t) => t.name);
      assert.ok(names.includes("comments") && names.includes("users"), "the store's tables are listed");
      assert.ok(!names.includes("not_parleys"), "another schema's table is not");
      assert.ok(!names.includes("kysely_migration"), "Kysely's own tables only when asked for");
      const withInternal = await store.db.introspection.getTables({ withInternalKyselyTables: true });
      assert.ok(withInternal.some((t) => t.name === "kysely_migration"));
      const users = tables.find((t) => t.name === "users");
      assert.ok(users?.columns.some((c) => c.name === "id"));
    } finally {
      await neighbour.close();
      await store.close();
      await other.drop();
      await database.drop();
    }
  });

  it("migrates while another schema of the same database keeps changing its tables", async () => {
    // The failure CI met: Kysely's own introspection read every schema and asked about a column
    // another suite's migration was changing ("column … does not exist", from a parallel worker).
    const churn = new pg.Client({ connectionString: PG_URL });
    await churn.connect();
    const schema = `churn_${process.pid}`;
    await churn.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    let running = true;
    const deadline = Date.now() + 20_000;
    const loop = (async () => {
      for (let i = 0; running && i < 2000 && Date.now() < deadline; i++) {
        await churn.query(`CREATE TABLE ${schema}.t${i % 4} (id serial primary key, site_id text)`);
        await churn.query(`ALTER TABLE ${schema}.t${i % 4} DROP COLUMN site_id`);
        await churn.query(`DROP TABLE ${schema}.t${i % 4}`);
      }
    })();
    try {
      for (let round = 0; round < 3; round++) {
        const database = await freshDatabase("postgres");
        const store = await openStore(database.url, { poolSize: 1 });
        await store.close();
        await database.drop();
      }
    } finally {
      running = false;
      await loop;
      await churn.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await churn.end();
    }
  });
});
