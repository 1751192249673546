import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

/**
 * The one renderer for everything users write: a Markdown subset (paragraphs, emphasis,
 * strong, links, block quotes, lists, inline code), no raw HTML, no images; then an
 * allowlist sanitizer as a second wall.
 */
const markdown = new MarkdownIt("zero", { html: false, linkify: true, breaks: true, typographer: false });
markdown.enable([
  "paragraph",
  "blockquote",
  "list",
  "emphasis",
  "link",
  "backticks",
  "escape",
  "entity",
  "newline",
  "autolink",
  "linkify",
]);
markdown.validateLink = (url: string) => /^(https?:\/\/|mailto:)/i.test(url.trim());

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "footer", "cite"],
  allowedAttributes: { a: ["href", "rel"], ol: ["start"], blockquote: ["class"], footer: ["class"] },
  allowedClasses: { blockquote: ["parley-quote"], footer: ["parley-quote-source"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "nofollow ugc noopener" },
    }),
  },
};

export const linkify = markdown.linkify;

/**
 * The link and character rules of this renderer's markdown-it, for the importer's quick
 * renderer (src/portability/quick-render.ts), which must produce exactly what this one does.
 */
export const markdownRules = {
  linkify: markdown.linkify,
  normalizeLink: (url: string) => markdown.normalizeLink(url),
  normalizeLinkText: (url: string) => markdown.normalizeLinkText(url),
  validateLink: (url: string) => markdown.validateLink(url),
  utils: markdown.utils,
};

export function sanitize(html: string): string {
  return sanitizeHtml(html, ALLOWED);
}

export function renderMarkdown(source: string): string {
  return sanitize(markdown.render(source)).trim();
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The attributed block quote placed above a comment that quotes the article or another comment. */
export function renderQuote(text: string, attribution: { label: string; href: string }): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
  const source = `<footer class="parley-quote-source">— <a href="${escapeHtml(attribution.href)}">${escapeHtml(attribution.label)}</a></footer>`;
  return sanitize(`<blockquote class="parley-quote">${paragraphs}${source}</blockquote>`);
}

/** The visible text of a Markdown source: what a reader can select and quote. */
export function plainText(source: string): string {
  return sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
