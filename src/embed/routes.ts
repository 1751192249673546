import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors.js";
import { errors } from "../http/schemas.js";
import { ErrorCodes } from "../shared/codes.js";
import { isAllowedOrigin } from "../site/service.js";
import { recordRefusedOrigin } from "../site/refused.js";
import { THREAD_SORTS } from "../shared/thread.js";
import { storyUrlOf } from "../stories/service.js";
import { assetPath, builtFile } from "./assets.js";
import { pickLang, translator } from "../shared/messages/index.js";
import { escapeHtml, renderThread } from "./ssr.js";
import { countsByUrl } from "./store.js";
import { loadThread } from "./thread.js";

const IMMUTABLE = "public, max-age=31536000, immutable";
// The loaders keep one URL across releases; a short lifetime lets a new release reach readers soon.
const LOADER = "public, max-age=300, stale-while-revalidate=3600";
const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  map: "application/json",
};

function sendBuilt(request: FastifyRequest, reply: FastifyReply, relative: string, cacheControl: string) {
  const file = builtFile(relative);
  if (!file) {
    return reply
      .code(404)
      .send({ error: { code: "NOT_FOUND", message: "Web assets not built; run node scripts/build-web.mjs." } });
  }
  const accept = String(request.headers["accept-encoding"] ?? "");
  reply
    .header("content-type", TYPES[relative.split(".").pop() ?? ""] ?? "application/octet-stream")
    .header("cache-control", cacheControl)
    .header("vary", "accept-encoding");
  if (file.brotli && /\bbr\b/.test(accept)) return reply.header("content-encoding", "br").send(file.brotli);
  if (file.gzip && /\bgzip\b/.test(accept)) return reply.header("content-encoding", "gzip").send(file.gzip);
  return reply.send(file.body);
}

export const SortQuery = Type.Optional(Type.Union(THREAD_SORTS.map((s) => Type.Literal(s))));

/** A list of URLs from repeated `urls=` parameters, each of which may also hold a comma-joined list. */
function splitUrls(raw: string | string[]): string[] {
  return (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(/,(?=https?:\/\/)/)).filter(Boolean);
}

function refusedOrigin(origin: string): AppError {
  // Readable from any page (it holds nothing of the thread), so the loader can tell the publisher
  // what to do instead of failing on a bare CORS error.
  return new AppError(
    403,
    ErrorCodes.ORIGIN_NOT_ALLOWED,
    `${origin} is not allowed to show these comments yet. An admin allows it in the Parley desk under Settings → Sites, or with PARLEY_ALLOWED_ORIGINS.`,
    { origin },
    { "access-control-allow-origin": "*" },
  );
}

export const embedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.get("/embed.js", { schema: { hide: true } }, (request, reply) => sendBuilt(request, reply, "embed.js", LOADER));
  app.get("/count.js", { schema: { hide: true } }, (request, reply) => sendBuilt(request, reply, "count.js", LOADER));
  app.get(
    "/assets/:file",
    { schema: { hide: true, params: Type.Object({ file: Type.String({ pattern: "^[A-Za-z0-9_.-]{1,120}$" }) }) } },
    // Public, content-named files: any page may fetch them (the loader fetches the styles), so a page
    // on an origin not allowed yet sees Parley's explanation rather than a CORS error for a stylesheet.
    (request, reply) =>
      sendBuilt(request, reply.header("access-control-allow-origin", "*"), `assets/${request.params.file}`, IMMUTABLE),
  );

  app.get(
    "/embed/threads",
    {
      schema: {
        tags: ["embed"],
        summary: "The first page of a thread as server-rendered HTML (works without JavaScript)",
        querystring: Type.Object({
          url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
          story: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          sort: SortQuery,
          cursor: Type.Optional(Type.String({ maxLength: 400 })),
          lang: Type.Optional(Type.String({ maxLength: 35 })),
          title: Type.Optional(Type.String({ maxLength: 500 })),
          titleSignature: Type.Optional(
            Type.String({ maxLength: 200, description: "HMAC-SHA256 of the canonical URL, a newline and the title, keyed with a site SSO secret (base64url)." }),
          ),
          fragment: Type.Optional(Type.Boolean({ description: "Only the thread's <section>, for the loader." })),
          section: Type.Optional(
            Type.String({ maxLength: 100, description: "The newsroom section (data-section); taken when the story is first seen." }),
          ),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (!q.url && !q.story) {
        return reply.code(400).send({ error: { code: "VALIDATION_FAILED", message: "Pass url or story." } });
      }
      const lang = pickLang(q.lang);
      const origin = request.headers.origin;
      if (origin && !(await isAllowedOrigin(deps, origin))) {
        await recordRefusedOrigin(deps, origin, q.url);
        throw refusedOrigin(origin);
      }
      const state = await loadThread(deps, {
        url: q.url,
        storyId: q.story,
        sort: q.sort,
        cursor: q.cursor,
        lang,
        meta: q.title || q.section ? { ...(q.title ? { title: q.title } : {}), ...(q.section ? { section: q.section } : {}) } : undefined,
        context: { ip: request.ip, titleSignature: q.titleSignature },
      }).catch(async (error: unknown) => {
        if (!(error instanceof AppError)) throw error;
        // A story URL on an origin no site has: the page's own origin is fine, the snippet's URL is not.
        const refused = error.code === ErrorCodes.ORIGIN_NOT_ALLOWED ? error.details?.origin : undefined;
        if (typeof refused === "string") {
          await recordRefusedOrigin(deps, refused, q.url);
          throw refusedOrigin(refused);
        }
        if (error.code === ErrorCodes.NOT_FOUND && q.story) {
          throw new AppError(
            404,
            ErrorCodes.NOT_FOUND,
            `No story has the id "${q.story}" (data-story-id on the page).`,
          );
        }
        throw error;
      });
      const self = (extra: Record<string, string>) =>
        `/embed/threads?${new URLSearchParams({ story: state.story.id, lang, ...extra }).toString()}`;
      const html = renderThread(state, {
        pageHref: (cursor) => self(cursor ? { sort: state.sort, cursor } : { sort: state.sort }),
        sortHref: (sort) => self({ sort }),
      });
      reply.header("cache-control", "no-cache").header("content-type", "text/html; charset=utf-8");
      if (q.fragment) return reply.send(html);
      const css = assetPath("thread.css");
      const title = `${translator(lang)("threadLabel")}: ${state.story.title}`;
      return reply.send(
        `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="canonical" href="${escapeHtml(state.story.url)}">${css ? `<link rel="stylesheet" href="${css}">` : ""}</head><body class="parley-page">${html}</body></html>`,
      );
    },
  );

  app.get(
    "/api/v1/counts",
    {
      schema: {
        tags: ["stories"],
        summary: "Comment counts for a list of story URLs (for article lists)",
        querystring: Type.Object({
          urls: Type.Union([
            Type.String({ minLength: 1, maxLength: 20_000 }),
            Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 100 }),
          ]),
        }),
        response: { 200: Type.Object({ counts: Type.Record(Type.String(), Type.Integer()) }), ...errors(400) },
      },
    },
    async (request, reply) => {
      const asked = splitUrls(request.query.urls).slice(0, 100);
      const canonical = new Map<string, string>();
      for (const url of asked) {
        try {
          canonical.set(url, await storyUrlOf(deps, url));
        } catch {
          // A malformed URL on an article list counts as zero rather than failing the whole list.
        }
      }
      const counts = await countsByUrl(deps.store.read, [...new Set(canonical.values())]);
      reply.header("cache-control", "public, max-age=60");
      return { counts: Object.fromEntries(asked.map((url) => [url, counts.get(canonical.get(url) ?? "") ?? 0])) };
    },
  );
};
