import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { notFound } from "../errors.js";
import { renderThread } from "../embed/ssr.js";
import { countsByUrl } from "../embed/store.js";
import { SortQuery } from "../embed/routes.js";
import { loadThread } from "../embed/thread.js";
import { CONTENT_DIR } from "../paths.js";
import { findArticle, listArticles } from "./content.js";
import { type SiteInfo, articlePage, indexPage } from "./pages.js";
import { storyCorrections } from "../corrections/service.js";

/** The site's name and tagline from content/site.json, when the publisher wrote one. */
function siteInfo(): SiteInfo {
  const file = join(CONTENT_DIR, "site.json");
  const given = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<SiteInfo>) : {};
  return {
    name: given.name ?? "Parley News",
    tagline: given.tagline ?? "A small newsroom running on Parley",
    lang: given.lang ?? "en",
  };
}

const HTML = "text/html; charset=utf-8";

/** The built-in news site: Markdown articles from content/articles with their threads below. */
export const articleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const base = deps.config.publicUrl;

  app.get("/", { schema: { hide: true } }, async (_request, reply) => {
    const articles = listArticles();
    const counts = await countsByUrl(
      deps.store.read,
      articles.map((a) => `${base}/articles/${a.slug}`),
    );
    return reply.header("content-type", HTML).header("cache-control", "no-cache").send(indexPage(siteInfo(), articles, counts, base));
  });

  app.get(
    "/articles/:slug",
    {
      schema: {
        hide: true,
        params: Type.Object({ slug: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({
          sort: SortQuery,
          cursor: Type.Optional(Type.String({ maxLength: 400 })),
        }),
      },
    },
    async (request, reply) => {
      const article = findArticle(request.params.slug);
      if (!article) throw notFound("Article");
      const site = siteInfo();
      const url = `${base}/articles/${article.slug}`;
      const state = await loadThread(deps, {
        url,
        sort: request.query.sort,
        cursor: request.query.cursor,
        lang: site.lang,
        meta: {
          title: article.title,
          author: article.author ?? undefined,
          publishedAt: article.date ?? undefined,
          bodyText: article.body,
          section: article.section ?? undefined,
        },
        context: { trusted: true, ip: request.ip },
      });
      const self = (params: Record<string, string>) =>
        `/articles/${article.slug}?${new URLSearchParams(params).toString()}#comments`;
      const html = renderThread(state, {
        pageHref: (cursor) => (cursor ? self({ sort: state.sort, cursor }) : self({ sort: state.sort })),
        sortHref: (sort) => self({ sort }),
      });
      return reply
        .header("content-type", HTML)
        .header("cache-control", "no-cache")
        .send(articlePage(site, article, { html, storyId: state.story.id, url, corrections: await storyCorrections(deps, state.story.id) }));
    },
  );
};
