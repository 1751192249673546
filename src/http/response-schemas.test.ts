import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DIALECTS, type TestApp, testApp } from "../../test/helpers.js";

type Schema = Record<string, unknown>;

/** Where a schema says nothing of a value: `Type.Unknown()`, or a record or array of them. */
function opaque(schema: unknown, at: string): string[] {
  if (!schema || typeof schema !== "object") return [at];
  const s = schema as Schema;
  if (s.content && typeof s.content === "object") {
    return Object.entries(s.content as Record<string, { schema: unknown }>).flatMap(([type, c]) =>
      opaque(c.schema, `${at} ${type}`),
    );
  }
  const named = ["type", "anyOf", "allOf", "oneOf", "$ref", "const", "enum"].some((key) => key in s);
  if (!named) return [at];
  const inner: [string, unknown][] = [];
  for (const [key, value] of Object.entries((s.properties ?? {}) as Schema)) inner.push([`${at}.${key}`, value]);
  for (const [key, value] of Object.entries((s.patternProperties ?? {}) as Schema))
    inner.push([`${at}[${key}]`, value]);
  if (typeof s.additionalProperties === "object") inner.push([`${at}[*]`, s.additionalProperties]);
  if (s.items) inner.push([`${at}[]`, s.items]);
  for (const key of ["anyOf", "allOf", "oneOf"])
    for (const [i, value] of ((s[key] ?? []) as unknown[]).entries()) inner.push([`${at}|${i}`, value]);
  return inner.flatMap(([where, value]) => opaque(value, where));
}

for (const { dialect, skip } of DIALECTS) {
  describe(`answers checked against their schemas, on ${dialect}`, { skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    it("gives every API route a response schema that names each field of a successful answer", () => {
      const api = t.app.routeSchemas.filter((r) => r.method !== "HEAD" && /^\/(api\/|healthz|readyz)/.test(r.url));
      assert.ok(api.length > 80, `only ${api.length} API routes were seen`);
      const problems: string[] = [];
      for (const route of api) {
        const name = `${route.method} ${route.url}`;
        const responses = route.response as Record<string, unknown> | undefined;
        if (!responses) {
          problems.push(`${name}: no response schema`);
          continue;
        }
        const statuses = Object.keys(responses);
        // A redirect (the OIDC start) answers no body of its own.
        if (!statuses.some((s) => /^[23]/.test(s))) problems.push(`${name}: no schema for a successful answer`);
        for (const status of statuses.filter((s) => /^2/.test(s) && s !== "204")) {
          for (const where of opaque(responses[status], status)) problems.push(`${name}: ${where} is not described`);
        }
      }
      assert.deepEqual(problems, []);
    });
  });
}
