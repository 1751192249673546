import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import { notFound } from "../errors.js";
import { renderThread } from "../embed/ssr.js";
import { countsByUrl } from "../embed/store.js";
import { SortQuery } from "../embed/routes.js";
import { loadThread } from "../embed/thread.js";
import { findArticle, listArticles, siteInfo } from "./content.js";
import { articlePage, indexPage } from "./pages.js";
import { storyCorrections } from "../corrections/service.js";
import { noticePage } from "./notice-page.js";

const HTML = "text/html; charset=utf-8";

/** The built-in news site: Markdown articles from content/articles with their threads below. */
export const articleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const base = deps.config.publicUrl;
  await app.register(noticePage);

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
