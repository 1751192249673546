import type { FastifyInstance, RouteOptions } from "fastify";

/**
 * A request grants nothing it names: every object a request may carry (body, query string,
 * path parameters) lists its fields and forbids the rest, so a field no form sends (`role`,
 * `status`, `authorId`…) never reaches a handler. Each route's request schemas are closed
 * when the route is registered, so a new route cannot forget it; validation then strips
 * unknown fields (`removeAdditional`), so a client sending one field more still works,
 * without it. An object a route leaves open on purpose, or an `allOf` (whose branches
 * cannot each be closed), stops the route from registering.
 */
const PARTS = ["body", "querystring", "params"] as const;

interface JsonSchema {
  type?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: unknown;
  patternProperties?: unknown;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

const isSchema = (value: unknown): value is JsonSchema => typeof value === "object" && value !== null;
const isMap = (s: JsonSchema) => s.patternProperties !== undefined || isSchema(s.additionalProperties);
const isObject = (s: JsonSchema) => s.type === "object" || s.properties !== undefined;

/** Where in `schema` an object leaves other fields open, as paths like `body.quote`. */
export function openObjects(schema: unknown, path: string): string[] {
  if (!isSchema(schema)) return [];
  const found: string[] = [];
  if (schema.allOf) found.push(`${path} (allOf)`);
  if (isObject(schema) && !isMap(schema) && schema.additionalProperties !== false) found.push(path);
  for (const [name, child] of Object.entries(schema.properties ?? {})) found.push(...openObjects(child, `${path}.${name}`));
  if (isSchema(schema.additionalProperties)) found.push(...openObjects(schema.additionalProperties, `${path}[*]`));
  const items = Array.isArray(schema.items) ? schema.items : schema.items ? [schema.items] : [];
  for (const item of items) found.push(...openObjects(item, `${path}[]`));
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) found.push(...openObjects(branch, path));
  return found;
}

/** A copy of `schema` whose objects forbid fields they do not list (those that say nothing). */
export function closeObjects<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(closeObjects) as T;
  if (!isSchema(schema)) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // TypeBox keeps its kind under symbols; copy them so the copy is still a TypeBox schema.
    copy[key] = key === "properties" && isSchema(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeObjects(v)])) : closeObjects(value);
  }
  for (const symbol of Object.getOwnPropertySymbols(schema)) (copy as Record<symbol, unknown>)[symbol] = (schema as Record<symbol, unknown>)[symbol];
  if (isObject(schema as JsonSchema) && !isMap(schema as JsonSchema) && (schema as JsonSchema).additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy as T;
}

export interface RouteSchemas {
  method: string;
  url: string;
  body?: unknown;
  querystring?: unknown;
  params?: unknown;
  response?: unknown;
}

/** Closes every route's request schemas as it registers; refuses one left open on purpose. Records them all. */
export function installClosedSchemas(app: FastifyInstance): RouteSchemas[] {
  const seen: RouteSchemas[] = [];
  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.schema) {
      const schema = route.schema as Record<string, unknown>;
      for (const part of PARTS) if (schema[part] !== undefined) schema[part] = closeObjects(schema[part]);
      const open = PARTS.flatMap((part) => openObjects(schema[part], part));
      if (open.length > 0) throw new Error(`${methods.join(",")} ${route.url}: its request schema leaves ${open.join(", ")} open to any field`);
    }
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    for (const method of methods) seen.push({ method, url: route.url, body: schema.body, querystring: schema.querystring, params: schema.params, response: schema.response });
  });
  return seen;
}
