import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import MarkdownIt from "markdown-it";
import { CONTENT_DIR } from "../paths.js";
import type { SiteInfo } from "./pages.js";

export const ARTICLES_DIR = join(CONTENT_DIR, "articles");

/** One article of the built-in news site, read from a Markdown file with front matter. */
export interface Article {
  slug: string;
  title: string;
  author: string | null;
  byline: string | null;
  /** The outlet or desk the story came through, and a link to the original. */
  via: string | null;
  source: string | null;
  date: string | null;
  /** The newsroom section (front matter `section`), whose policy the thread follows. */
  section: string | null;
  tags: string[];
  image: string | null;
  summary: string;
  /** The Markdown source: the text readers may quote. */
  body: string;
  bodyHtml: string;
}

/** Splits `---`-fenced `key: value` front matter from a Markdown file. */
export function frontMatter(text: string): { meta: Record<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!match) return { meta: {}, body: text.trim() };
  const meta: Record<string, string> = {};
  for (const line of match[1].split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0) meta[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { meta, body: match[2].trim() };
}

// Articles are the publisher's own text, but they still go through a renderer without raw HTML:
// a content folder is easier to write to than it looks (uploads, shared drives).
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.validateLink = (url: string) => /^(https?:\/\/|mailto:|\/|#)/i.test(url.trim());

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;
const httpUrl = (value: string | undefined) => (value && /^https?:\/\//i.test(value) ? value : null);

export function parseArticle(slug: string, text: string): Article {
  const { meta, body } = frontMatter(text);
  const firstParagraph = body.split(/\n{2,}/).find((p) => !p.startsWith(">") && !p.startsWith("#")) ?? "";
  const date = meta.date || meta.publishedAt || "";
  return {
    slug: meta.slug && SLUG.test(meta.slug) ? meta.slug : slug,
    title: meta.title || slug,
    author: meta.author || null,
    byline: meta.byline || null,
    via: meta.via || null,
    source: httpUrl(meta.source),
    date: date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : null,
    section: meta.section || null,
    tags: (meta.tags ?? "")
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    image: httpUrl(meta.image) ?? (meta.image?.startsWith("/") ? meta.image : null),
    summary: meta.summary || markdown.renderInline(firstParagraph).replace(/<[^>]+>/g, ""),
    body,
    bodyHtml: markdown.render(body),
  };
}

let cache: { at: number; articles: Article[] } | undefined;

/**
 * Every article in the content folder, newest first. Re-read at most every two seconds,
 * so an editor who saves a file sees it on the next reload without a restart.
 */
export function listArticles(dir = ARTICLES_DIR, now = Date.now()): Article[] {
  if (dir === ARTICLES_DIR && cache && now - cache.at < 2000) return cache.articles;
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".md") && statSync(join(dir, f)).isFile());
  } catch {
    files = [];
  }
  const articles = files
    .map((f) => parseArticle(basename(f, ".md"), readFileSync(join(dir, f), "utf8")))
    .filter((a) => SLUG.test(a.slug))
    .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.slug.localeCompare(b.slug));
  if (dir === ARTICLES_DIR) cache = { at: now, articles };
  return articles;
}

export function findArticle(slug: string, dir = ARTICLES_DIR): Article | undefined {
  return listArticles(dir).find((a) => a.slug === slug);
}

/** The site's name and tagline from content/site.json, when the publisher wrote one. */
export function siteInfo(): SiteInfo {
  const file = join(CONTENT_DIR, "site.json");
  const given = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<SiteInfo>) : {};
  return {
    name: given.name ?? "Parley News",
    tagline: given.tagline ?? "A small newsroom running on Parley",
    lang: given.lang ?? "en",
  };
}

