import { assetPath } from "../embed/assets.js";
import { escapeHtml } from "../embed/ssr.js";
import type { Article } from "./content.js";
import type { StoryCorrection } from "../shared/corrections.js";

export interface SiteInfo {
  name: string;
  tagline: string;
  lang: string;
}

function dateLine(iso: string | null, lang: string): string {
  if (!iso) return "";
  const text = new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(new Date(iso));
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(text)}</time>`;
}

function byline(article: Article, lang: string): string {
  const parts: string[] = [];
  if (article.byline || article.author) parts.push(escapeHtml(article.byline ?? article.author ?? ""));
  if (article.via) {
    const via = article.source
      ? `<a href="${escapeHtml(article.source)}" rel="noopener">${escapeHtml(article.via)}</a>`
      : escapeHtml(article.via);
    parts.push(`via ${via}`);
  }
  const date = dateLine(article.date, lang);
  if (date) parts.push(date);
  return parts.length ? `<p class="byline">${parts.join(" · ")}</p>` : "";
}

/** The page shell of the built-in news site: no inline script or style, every asset a served file. */
export function layout(
  site: SiteInfo,
  page: { title: string; head?: string; body: string; canonical: string },
): string {
  const css = ["site.css", "thread.css"]
    .map(assetPath)
    .filter((p): p is string => p !== undefined)
    .map((href) => `<link rel="stylesheet" href="${href}">`)
    .join("");
  return `<!doctype html><html lang="${escapeHtml(site.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)}</title><link rel="canonical" href="${escapeHtml(page.canonical)}"><meta name="color-scheme" content="light dark">${css}${page.head ?? ""}</head><body><a class="skip" href="#main">Skip to content</a><header class="site-head"><a class="site-name" href="/">${escapeHtml(site.name)}</a><span class="site-tagline">${escapeHtml(site.tagline)}</span></header><main id="main">${page.body}</main><footer class="site-foot">Comments by Parley</footer></body></html>`;
}

/**
 * The newsroom's corrections at the foot of the article, dated, as a newspaper prints them. Always
 * present (hidden while empty): the widget adds a correction accepted while the page is open.
 */
function correctionsBlock(corrections: StoryCorrection[], lang: string, storyId: string): string {
  const items = corrections
    .map((c) => {
      const date = new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(new Date(c.acceptedAt));
      const quote = c.quote ? `<blockquote>${escapeHtml(c.quote.text)}</blockquote>` : "";
      return `<li data-id="${escapeHtml(c.id)}"><strong>Correction, <time datetime="${escapeHtml(c.acceptedAt)}">${escapeHtml(date)}</time>:</strong> ${escapeHtml(c.note)}${quote}</li>`;
    })
    .join("");
  return `<aside class="corrections" aria-labelledby="corrections-title" data-parley-corrections="${escapeHtml(storyId)}"${corrections.length ? "" : " hidden"}><h2 id="corrections-title">Corrections</h2><ol>${items}</ol></aside>`;
}

export function articlePage(
  site: SiteInfo,
  article: Article,
  thread: { html: string; storyId: string; url: string; corrections?: StoryCorrection[] },
): string {
  const css = assetPath("thread.css");
  const tags = article.tags.length
    ? `<ul class="tags" aria-label="Tags">${article.tags.map((t) => `<li>${escapeHtml(t)}</li>`).join("")}</ul>`
    : "";
  const image = article.image ? `<img class="lead-image" src="${escapeHtml(article.image)}" alt="">` : "";
  const body = `<article class="story"><header>${tags}<h1>${escapeHtml(article.title)}</h1>${byline(article, site.lang)}</header>${image}<div class="story-body" data-parley-article="">${article.bodyHtml}</div>${correctionsBlock(thread.corrections ?? [], site.lang, thread.storyId)}</article><parley-thread id="comments" class="thread" data-story-id="${escapeHtml(thread.storyId)}" data-story-url="${escapeHtml(thread.url)}" data-lang="${escapeHtml(site.lang)}"><template shadowrootmode="open">${css ? `<link rel="stylesheet" href="${css}">` : ""}${thread.html}</template></parley-thread><p class="notice-link">Is a comment here illegal? <a href="/notice">Send a notice of illegal content</a>, or use “Notify illegal content” in the comment's menu.</p>`;
  return layout(site, {
    title: `${article.title} · ${site.name}`,
    canonical: thread.url,
    head: `<meta name="description" content="${escapeHtml(article.summary)}"><meta property="og:title" content="${escapeHtml(article.title)}"><script src="/embed.js" async></script>`,
    body,
  });
}

export function indexPage(site: SiteInfo, articles: Article[], counts: Map<string, number>, base: string): string {
  const items = articles
    .map((a) => {
      const url = `${base}/articles/${a.slug}`;
      const n = counts.get(url) ?? 0;
      return `<li class="teaser"><h2><a href="/articles/${escapeHtml(a.slug)}">${escapeHtml(a.title)}</a></h2>${byline(a, site.lang)}<p>${escapeHtml(a.summary)}</p><a class="count" href="/articles/${escapeHtml(a.slug)}#comments">${n} ${n === 1 ? "comment" : "comments"}</a></li>`;
    })
    .join("");
  return layout(site, {
    title: site.name,
    canonical: `${base}/`,
    body: `<h1 class="index-title">Latest stories</h1><ol class="teasers">${items || "<li>No articles yet.</li>"}</ol>`,
  });
}
