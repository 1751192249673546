import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { AppError, forbidden, notFound, unauthenticated } from "../errors.js";
import { IdParams, errors } from "../http/schemas.js";
import { ErrorCodes } from "../shared/codes.js";
import type { ImportsTable } from "../store/schema.js";
import type { Selectable } from "kysely";
import { IMPORT_FORMATS, runImport } from "./importer.js";
import { findImport, recordImport, siteExists } from "./store.js";
import { TextSource } from "./source.js";
import type { ImportSummary } from "./report.js";

/** Uploads up to 4 GiB: real exports of big sites run to gigabytes. */
const MAX_UPLOAD = 4 * 1024 ** 3;

const counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description });
const SummarySchema = Type.Object({
  source: Type.String(),
  added: counts("Records added, by kind."),
  existing: counts("Records already there, by kind."),
  skipped: counts("Records left out, by reason."),
  problems: counts("Problems met, by kind."),
  examples: Type.Record(Type.String(), Type.String(), { description: "One example of each kind of problem." }),
  durationMs: Type.Number(),
});

const ImportSchema = Type.Object({
  id: Type.String(),
  source: Type.String(),
  siteId: Type.String(),
  status: Type.Union([Type.Literal("queued"), Type.Literal("running"), Type.Literal("done"), Type.Literal("failed")]),
  progress: Type.Object({
    bytesRead: Type.Number(),
    totalBytes: Type.Union([Type.Number(), Type.Null()]),
    records: Type.Number(),
  }),
  summary: Type.Union([SummarySchema, Type.Null()], { description: "Once the import has finished: what it did." }),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
});

function presentImport(row: Selectable<ImportsTable>) {
  return {
    id: row.id,
    source: row.source,
    siteId: row.site_id,
    status: row.status,
    progress: JSON.parse(row.progress),
    summary: row.summary === null ? null : (JSON.parse(row.summary) as ImportSummary),
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function requireAdmin(request: FastifyRequest) {
  if (!request.actor) throw unauthenticated();
  if (request.actor.user.role !== "admin") throw forbidden("Only admins import comments.");
  return request.actor;
}

/** Copies the upload to a temporary file, so the job can outlive the request. */
async function saveUpload(body: Readable, path: string): Promise<number> {
  let bytes = 0;
  await pipeline(
    body,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        if (bytes > MAX_UPLOAD) throw new AppError(413, ErrorCodes.PAYLOAD_TOO_LARGE, "The file is larger than 4 GiB.");
        yield chunk;
      }
    },
    createWriteStream(path),
  );
  return bytes;
}

/**
 * `POST /api/v1/admin/imports?format=disqus|wordpress|json&site=ID` with the export file
 * as the raw body. The import runs in this process as a background job; its status and
 * progress live in the `imports` table, so `GET /api/v1/admin/imports/:id` answers on any node.
 * A job cut short by a restart stays `running`: run the import again (it adds nothing twice).
 */
export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const running = new Set<Promise<unknown>>();
  app.addHook("onClose", async () => {
    await Promise.allSettled(running);
  });
  // Scoped to these routes: the body stays a stream, never buffered in memory.
  app.addContentTypeParser(
    ["application/xml", "text/xml", "application/x-ndjson", "application/jsonl", "application/octet-stream"],
    (_request, payload, done) => done(null, payload),
  );

  app.post(
    "/api/v1/admin/imports",
    {
      schema: {
        tags: ["admin"],
        summary: "Start importing a Disqus, WordPress (WXR) or Parley export; the body is the file",
        querystring: Type.Object({
          format: Type.Union(IMPORT_FORMATS.map((f) => Type.Literal(f))),
          site: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        }),
        response: { 202: Type.Object({ import: ImportSchema }), ...errors(400, 401, 403, 404, 413) },
      },
    },
    async (request, reply) => {
      const actor = requireAdmin(request);
      const { format } = request.query;
      const siteId = request.query.site ?? "default";
      if (!(await siteExists(deps.store.db, siteId))) throw notFound("Site");
      const body = request.body as Readable | undefined;
      if (!body || typeof body.pipe !== "function") {
        throw new AppError(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, "Send the export file as the body (application/xml or application/x-ndjson).");
      }
      const dir = await mkdtemp(join(tmpdir(), "parley-import-"));
      const file = join(dir, "upload");
      try {
        await saveUpload(body, file);
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      const importId = deps.ids.next();
      const now = deps.clock.now();
      const source = TextSource.fromFile(file);
      await recordImport(deps.store.db, {
        id: importId, source: format, site_id: siteId, status: "queued", progress: JSON.stringify(source.progress()),
        summary: null, error: null, created_by: actor.user.id, created_at: now, updated_at: now,
      });
      const job = runImport(deps, { format, source, siteId, importId, createdBy: actor.user.id })
        .catch((error: unknown) => deps.log.warn({ importId, err: error }, "import failed"))
        .finally(() => rm(dir, { recursive: true, force: true }));
      running.add(job);
      void job.finally(() => running.delete(job));
      const row = await findImport(deps.store.db, importId);
      if (!row) throw notFound("Import");
      return reply.code(202).send({ import: presentImport(row) });
    },
  );

  app.get(
    "/api/v1/admin/imports/:id",
    {
      schema: {
        tags: ["admin"],
        summary: "An import's status, progress and summary",
        params: IdParams,
        response: { 200: Type.Object({ import: ImportSchema }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      requireAdmin(request);
      const row = await findImport(deps.store.read, request.params.id);
      if (!row) throw notFound("Import");
      return { import: presentImport(row) };
    },
  );
};
