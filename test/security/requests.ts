import fc from "fast-check";

/** The slice of JSON Schema that Parley's route schemas use. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  format?: string;
}

export interface Operation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  params: { in: string; name: string; schema: JsonSchema; required?: boolean }[];
  body?: JsonSchema;
}

/** Every operation of an OpenAPI 3 document. */
export function operations(doc: { paths: Record<string, Record<string, { parameters?: Operation["params"]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      out.push({
        method: method.toUpperCase() as Operation["method"],
        path,
        params: op.parameters ?? [],
        body: op.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return out;
}

/** Odd text: control characters, lone surrogates, bidi overrides, combining marks, emoji, plain ASCII. */
export const oddText = (maxLength = 40) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.constantFrom("\u0000", "\uD800", "\u202Ex\u202C", "e\u0301\u0301\u0301", "👩‍💻", "%00", "../../etc/passwd", "' OR 1=1 --", "<script>alert(1)</script>", "__proto__", "constructor", "{{7*7}}", "${7*7}"),
  );

/** Values that follow the schema (string lengths capped so runs stay fast). */
export function valid(schema: JsonSchema, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => valid(s, ids, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const orNull = <T>(a: fc.Arbitrary<T>) => (schema.nullable ? fc.option(a, { nil: null }) : a);
  switch (type) {
    case "string": {
      const min = schema.minLength ?? 0;
      const max = Math.max(min, Math.min(schema.maxLength ?? 60, 60));
      const text = fc.string({ minLength: min, maxLength: max });
      if (schema.format === "uri") return orNull(fc.oneof(fc.webUrl(), text));
      return orNull(fc.oneof(text, fc.constantFrom(...ids), oddText(max)));
    }
    case "integer":
      return orNull(fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000 }));
    case "number":
      return orNull(fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000, noNaN: true }));
    case "boolean":
      return orNull(fc.boolean());
    case "null":
      return fc.constant(null);
    case "array":
      if (depth > 4) return fc.constant([]);
      return orNull(fc.array(valid(schema.items ?? {}, ids, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) }));
    case "object": {
      if (depth > 4) return fc.constant({});
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const keys = Object.keys(props);
      return orNull(
        fc.record(Object.fromEntries(keys.map((k) => [k, valid(props[k], ids, depth + 1)])), {
          requiredKeys: keys.filter((k) => required.has(k)),
        }),
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values that break the schema: wrong types, huge strings, deep nesting, odd text. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddText(),
  fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 31), 1e308, 0.5, true, null, [], {}, "", " "),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 30, max: 200 }).map((n) => JSON.parse("[".repeat(n) + "]".repeat(n)) as unknown),
);

/** A body for an operation: mostly valid, sometimes with one field broken, sometimes wholly wrong. */
export function bodyFor(op: Operation, ids: string[]): fc.Arbitrary<unknown> {
  if (!op.body) return fc.option(hostileValue, { nil: undefined, freq: 3 });
  const good = valid(op.body, ids);
  const props = Object.keys(op.body.properties ?? {});
  const broken =
    props.length > 0
      ? fc.tuple(good, fc.constantFrom(...props), hostileValue).map(([b, key, bad]) => ({ ...(b as object), [key]: bad }))
      : hostileValue;
  return fc.oneof({ weight: 5, arbitrary: good }, { weight: 3, arbitrary: broken }, { weight: 1, arbitrary: hostileValue });
}

/** Raw payloads that are not JSON, or JSON the parser should refuse. */
export const malformedJson = fc.constantFrom(
  "{",
  '{"body":"x"',
  "{'body':'x'}",
  '{"body":"x",}',
  "NaN",
  '{"__proto__":{"role":"admin"},"body":"x"}',
  '{"constructor":{"prototype":{"role":"admin"}}}',
  "\uFEFF{}",
  "[".repeat(5000) + "]".repeat(5000),
  '{"body":"\\ud800"}',
  "",
);

/** Headers a hostile client might send. */
export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constant({}),
  fc.constantFrom<Record<string, string>>(
    { "content-type": "text/plain" },
    { "content-type": "application/json; charset=latin1" },
    { "content-type": "application/x-www-form-urlencoded" },
    { "idempotency-key": "k".repeat(500) },
    { "idempotency-key": "" },
    { authorization: "Bearer " },
    { authorization: "Basic YWRtaW46YWRtaW4=" },
    { authorization: `Bearer ${"A".repeat(4000)}` },
    { cookie: "parley_session=%E0%A4%A" },
    { cookie: "parley_session=" + "x".repeat(2000) },
    { "x-forwarded-for": "127.0.0.1, 10.0.0.1" },
    { "last-event-id": "-1" },
    { origin: "null" },
  ),
);
