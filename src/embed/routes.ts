import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { errors } from "../http/schemas.js";
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

export const embedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;

  app.get("/embed.js", { schema: { hide: true } }, (request, reply) => sendBuilt(request, reply, "embed.js", LOADER));
  app.get("/count.js", { schema: { hide: true } }, (request, reply) => sendBuilt(request, reply, "count.js", LOADER));
  app.get(
    "/assets/:file",
    { schema: { hide: true, params: Type.Object({ file: Type.String({ pattern: "^[A-Za-z0-9_.-]{1,120}$" }) }) } },
    (request, reply) => sendBuilt(request, reply, `assets/${request.params.file}`, IMMUTABLE),
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
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (!q.url && !q.story) {
        return reply.code(400).send({ error: { code: "VALIDATION_FAILED", message: "Pass url or story." } });
      }
      const lang = pickLang(q.lang);
      const state = await loadThread(deps, {
        url: q.url,
        storyId: q.story,
        sort: q.sort,
        cursor: q.cursor,
        lang,
        meta: q.title ? { title: q.title } : undefined,
        context: { ip: request.ip, titleSignature: q.titleSignature },
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
