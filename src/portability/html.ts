import sanitizeHtml from "sanitize-html";
import { normaliseText } from "../comments/text.js";
import { renderImported, renderImportedAll } from "./quick-render.js";

/**
 * Imported comments arrive as HTML (Disqus) or as text with some inline HTML (WordPress).
 * Parley stores Markdown source and renders it through its one renderer, so an import
 * converts to Markdown: the text a reader saw survives, backslashes and asterisks
 * included (escaped), and nothing outside Parley's allowlist reaches a page.
 */
const KEPT = ["p", "br", "div", "a", "strong", "b", "em", "i", "code", "pre", "blockquote", "ul", "ol", "li"];
const BLOCK = /<(p|br|div|blockquote|ul|ol|li|pre)\b/i;

const escapeInline = (text: string) => text.replace(/[\\`*_[\]<>&]/g, "\\$&");

/** Escapes what Markdown would read as syntax at the start of a line. */
const escapeLineStarts = (text: string) =>
  text.replace(/^([ \t]*)([-+#])(?=\s|$)/gm, "$1\\$2").replace(/^([ \t]*\d+)([.)])(?=\s|$)/gm, "$1\\$2");

function decode(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

interface Frame {
  tag: string;
  out: string;
  href?: string;
}

/** The HTML the converter reads: the kept tags only, links with an http, https or mailto href only. */
export function keptHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: KEPT,
    allowedAttributes: { a: ["href"] },
    allowedSchemes: ["http", "https", "mailto"],
    disallowedTagsMode: "discard",
  });
}

/** HTML (or text with inline HTML) → Parley Markdown that renders to the same words. */
export function htmlToMarkdown(html: string): string {
  const text = html.replace(/\r\n?/g, "\n");
  return markdownOfKept(plainHtml(text) ?? keptHtml(text));
}

/** Entities the converter's decode() reads, exactly as the HTML parser would. */
const ENTITY = /&(?!amp;|lt;|gt;|quot;|#39;|#x27;|[^a-zA-Z0-9#])/;
const TAG = /^<(\/?)([a-z]+)((?:\s+[a-z-]+="[^"<]*")*)\s*(\/?)>$/i;
const ATTRIBUTE = /\s+([a-z-]+)="([^"<]*)"/gi;
const INLINE = new Set(["b", "strong", "i", "em", "a"]);

/**
 * Most exported comments are simple HTML that keptHtml() would leave as it is: well nested
 * paragraphs, breaks, bold, italics and plain links. For those this returns what keptHtml()
 * gives, as far as the converter can tell (the same tags and the same text once decoded),
 * without running the sanitizer; for anything else, null. html.test.ts checks it against
 * keptHtml() on generated input.
 */
export function plainHtml(html: string): string | null {
  if (ENTITY.test(html)) return null;
  const open: string[] = [];
  let out = "";
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf("<", at);
    if (lt === -1) return open.length === 0 ? out + html.slice(at) : null;
    out += html.slice(at, lt);
    const gt = html.indexOf(">", lt);
    const tag = gt === -1 ? null : TAG.exec(html.slice(lt, gt + 1));
    if (!tag) return null;
    const [, closing, rawName, attributes, selfClosing] = tag;
    const name = rawName.toLowerCase();
    at = gt + 1;
    if (name === "br") {
      if (closing || attributes) return null;
      out += "<br />";
    } else if (closing) {
      if (selfClosing || attributes || open.pop() !== name) return null;
      out += `</${name}>`;
    } else if (selfClosing || open.includes(name) || (name === "p" || name === "div" ? open.length > 0 : !INLINE.has(name))) {
      // A block inside anything, or a tag inside itself, is where HTML parsers start guessing.
      return null;
    } else if (name === "a") {
      const href = linkHref(attributes);
      if (href === null) return null;
      open.push(name);
      out += `<a href="${href}">`;
    } else {
      if (attributes) return null;
      open.push(name);
      out += `<${name}>`;
    }
  }
  return open.length === 0 ? out : null;
}

/** The href of a plain link (rel, title and target are dropped, as keptHtml() drops them); null for anything else. */
function linkHref(attributes: string): string | null {
  let href: string | null = null;
  const seen = new Set<string>();
  for (const [, rawName, value] of attributes.matchAll(ATTRIBUTE)) {
    const name = rawName.toLowerCase();
    if (seen.has(name) || !["href", "rel", "title", "target"].includes(name)) return null;
    seen.add(name);
    if (name === "href") href = value;
  }
  return href !== null && /^(https?:|mailto:)[^\s\u0000-\u001f\u007f-\u009f]+$/i.test(href) ? href : null;
}

/** The converter proper, over HTML as keptHtml() leaves it. */
export function markdownOfKept(clean: string): string {
  // Text without block tags keeps its line breaks (WordPress adds paragraphs on display).
  const keepBreaks = !BLOCK.test(clean);
  const stack: Frame[] = [{ tag: "", out: "" }];
  const top = () => stack[stack.length - 1];
  const emit = (s: string) => (top().out += s);
  let inCode = 0;
  for (const token of clean.split(/(<[^>]+>)/)) {
    if (!token) continue;
    const tag = /^<(\/?)([a-z0-9]+)([^>]*)>$/i.exec(token);
    if (!tag) {
      const text = decode(token);
      if (inCode) emit(text);
      else emit(escapeLineStarts(escapeInline(keepBreaks ? text : text.replace(/\s+/g, " "))));
      continue;
    }
    const [, closing, rawName, rest] = tag;
    const name = rawName.toLowerCase();
    if (!closing) {
      if (name === "br") emit("\n");
      else if (name === "code" || name === "pre") {
        if (inCode++ === 0) stack.push({ tag: name, out: "" });
      } else if (["a", "blockquote", "li", "strong", "b", "em", "i"].includes(name)) {
        const href = /href="([^"]*)"/.exec(rest)?.[1];
        stack.push({ tag: name, out: "", href: href === undefined ? undefined : decode(href) });
      } else if (name === "p" || name === "div" || name === "ul" || name === "ol") emit("\n\n");
      continue;
    }
    if ((name === "code" || name === "pre") && inCode > 0) {
      if (--inCode > 0) continue;
      const frame = stack.pop() as Frame;
      const lines = frame.out.split("\n").filter((l) => l.trim());
      emit(frame.tag === "pre" ? `\n\n${lines.map(inlineCode).join("\n")}\n\n` : inlineCode(frame.out));
      continue;
    }
    if (top().tag !== name || stack.length === 1) {
      if (name === "p" || name === "div" || name === "ul" || name === "ol") emit("\n\n");
      continue;
    }
    const frame = stack.pop() as Frame;
    const inner = frame.out;
    if (name === "a") {
      const href = frame.href?.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}`);
      emit(href && inner.trim() ? `[${inner.trim()}](${href})` : inner);
    } else if (name === "strong" || name === "b") emit(inner.trim() ? `**${inner}**` : inner);
    else if (name === "em" || name === "i") emit(inner.trim() ? `*${inner}*` : inner);
    else if (name === "blockquote") emit(`\n\n${tidy(inner).replace(/^/gm, "> ")}\n\n`);
    else if (name === "li") {
      const atLineStart = top().out === "" || top().out.endsWith("\n");
      emit(`${atLineStart ? "" : "\n"}- ${tidy(inner).replace(/\n/g, "\n  ")}\n`);
    }
  }
  while (stack.length > 1) {
    const frame = stack.pop() as Frame;
    emit(frame.out);
  }
  return tidy(stack[0].out);
}

/** Trims each line's end and the whole, and allows at most one blank line in a row. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, "")
    .replace(/^[ \t]+(?=\S)/gm, (m) => (m.length >= 4 ? "" : m))
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const sourceOf = (html: string) => htmlToMarkdown(normaliseText(html.replace(/\u0000/g, "")));

/** The stored source and rendered HTML of an imported comment body: the HTML is what renderMarkdown(body) gives. */
export function importedBody(html: string): { body: string; bodyHtml: string } {
  const body = sourceOf(html);
  return { body, bodyHtml: renderImported(body) };
}

/** importedBody() for a batch of bodies, rendered together (see renderImportedAll). */
export function importedBodies(htmls: string[]): { body: string; bodyHtml: string }[] {
  const bodies = htmls.map(sourceOf);
  const rendered = renderImportedAll(bodies);
  return bodies.map((body, i) => ({ body, bodyHtml: rendered[i] }));
}
