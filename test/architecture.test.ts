import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DOMAIN_EVENT_TYPES } from "../src/events/types.js";
import { eventSpine } from "../src/runtime.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

interface Arrow {
  to: string;
  /** `import type` and `export type`: erased when compiled, so no arrow at run time. */
  typeOnly: boolean;
}

/** Each file's relative imports and re-exports, resolved to files under src/. */
function importsOf(file: string): Arrow[] {
  const text = readFileSync(file, "utf8");
  const arrows: Arrow[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+"(\.[^"]+)"/g)) {
    arrows.push({ to: resolve(dirname(file), m[2]!).replace(/\.js$/, ".ts"), typeOnly: m[1] !== undefined });
  }
  for (const m of text.matchAll(/\bimport\(\s*"(\.[^"]+)"\s*\)/g)) {
    arrows.push({ to: resolve(dirname(file), m[1]!).replace(/\.js$/, ".ts"), typeOnly: false });
  }
  return arrows;
}

const files = sourceFiles(join(root, "src"));
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const name = (file: string) => relative(root, file);

/** The cycles among run-time imports (strongly connected components of more than one file, or a file importing itself). */
function cycles(): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const { to, typeOnly } of graph.get(v) ?? []) {
      if (typeOnly || !graph.has(to)) continue;
      if (to === v) found.push([v]);
      if (!order.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, order.get(to)!));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component);
    }
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return found.map((c) => c.map(name).sort());
}

describe("the floors", () => {
  it("keeps live updates and notifications out of the domains: they consume events instead", () => {
    const domains = ["comments", "moderation", "reactions", "stories", "accounts"].map((d) => join(root, "src", d));
    const consumers = ["live", "notifications"].map((d) => join(root, "src", d) + "/");
    const wrong = files
      .filter((f) => domains.some((d) => f.startsWith(d + "/")))
      .flatMap((f) =>
        graph
          .get(f)!
          .filter((a) => consumers.some((c) => a.to.startsWith(c)))
          .map((a) => `${name(f)} → ${name(a.to)}`),
      );
    assert.deepEqual(wrong, []);
  });

  it("has no import cycle between files", () => {
    assert.deepEqual(cycles(), []);
  });

  it("finds the imports it checks", () => {
    // Guards the checks above against a parser that silently finds nothing.
    const service = graph.get(join(root, "src/comments/service.ts"))!;
    assert.ok(service.some((a) => a.to === join(root, "src/events/spine.ts")));
    assert.ok(graph.get(join(root, "src/deps.ts"))!.some((a) => a.typeOnly));
    assert.ok(files.length > 100);
  });
});

/**
 * Kysely query building, what belongs in a store file or in `src/store/`: the query builders,
 * and the `sql` template, typed (`` sql<Row>`…` ``) or not.
 */
const QUERY = /\.(?:selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\(|\bsql(?:<[^`;]*?>)?`/g;
const queriesIn = (file: string) => (readFileSync(file, "utf8").match(QUERY) ?? []).length;
/**
 * A domain's store is its `store.ts`; one that would pass ~500 lines is split into `store-<part>.ts`
 * files beside it (`src/notifications/store-outbox.ts`). And `src/store/` is all store.
 */
const isStore = (file: string) =>
  /\/store(?:-[a-z]+(?:-[a-z]+)*)?\.ts$/.test(file) || file.startsWith(join(root, "src/store") + "/");
describe("stores own the SQL", () => {
  it("leaves routes and moderation phases without a query of their own: they call store functions", () => {
    const phases = join(root, "src/moderation/phases") + "/";
    const wrong = files
      .filter((f) => !isStore(f) && (f.endsWith("routes.ts") || f.startsWith(phases)))
      .filter((f) => queriesIn(f) > 0)
      .map(name);
    assert.deepEqual(wrong, []);
  });

  it("builds no query outside the stores", () => {
    const wrong = files.filter((f) => !isStore(f) && queriesIn(f) > 0).map((f) => `${name(f)}: ${queriesIn(f)}`);
    assert.deepEqual(wrong, []);
  });

  it("finds the queries it checks", () => {
    // Guards the check above against a pattern that silently finds nothing.
    assert.ok(queriesIn(join(root, "src/comments/store.ts")) > 10);
    assert.ok(isStore(join(root, "src/notifications/store-outbox.ts")));
    assert.ok(!isStore(join(root, "src/notifications/outbox.ts")));
  });
});

describe("the event spine", () => {
  const spine = eventSpine();

  it("gives every domain event at least one consumer", () => {
    assert.deepEqual(
      DOMAIN_EVENT_TYPES.filter((type) => spine.consumersOf(type).length === 0),
      [],
    );
  });

  it("is documented: docs/ARCHITECTURE.md lists each event with its consumers", () => {
    const doc = readFileSync(join(root, "docs/ARCHITECTURE.md"), "utf8");
    for (const type of DOMAIN_EVENT_TYPES) {
      const row = doc.split("\n").find((line) => line.startsWith(`| \`${type}\` |`));
      assert.ok(row, `docs/ARCHITECTURE.md has no row for ${type}`);
      for (const consumer of spine.consumersOf(type))
        assert.match(row, new RegExp(`\\b${consumer}\\b`), `${type}: ${consumer}`);
    }
  });
});
