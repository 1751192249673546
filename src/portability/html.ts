import sanitizeHtml from "sanitize-html";
import { normaliseText } from "../comments/text.js";
import { renderImported } from "./quick-render.js";

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

/** HTML (or text with inline HTML) → Parley Markdown that renders to the same words. */
export function htmlToMarkdown(html: string): string {
  const clean = sanitizeHtml(html.replace(/\r\n?/g, "\n"), {
    allowedTags: KEPT,
    allowedAttributes: { a: ["href"] },
    allowedSchemes: ["http", "https", "mailto"],
    disallowedTagsMode: "discard",
  });
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

/** The stored source and rendered HTML of an imported comment body: the HTML is what renderMarkdown(body) gives. */
export function importedBody(html: string): { body: string; bodyHtml: string } {
  const body = htmlToMarkdown(normaliseText(html.replace(/\u0000/g, "")));
  return { body, bodyHtml: renderImported(body) };
}
