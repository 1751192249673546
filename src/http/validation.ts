import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifyInstance } from "fastify";

const common: Options = { removeAdditional: true, useDefaults: true, allErrors: false, strict: false };

/**
 * Query strings, params and headers arrive as text and are coerced to the schema's
 * types; JSON bodies are not: `{ "body": 42 }` is a 400, not the string "42".
 */
export function installValidation(app: FastifyInstance): void {
  const coercing = addFormats.default(new Ajv({ ...common, coerceTypes: "array" }));
  const strictTypes = addFormats.default(new Ajv({ ...common, coerceTypes: false }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? strictTypes : coercing).compile(schema));
}
