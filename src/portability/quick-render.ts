import { markdownRules, renderMarkdown, sanitize } from "../comments/render.js";

/**
 * A quick renderer for the Markdown an import writes, so a large import does not spend most
 * of its time in markdown-it. It knows only what imported comments mostly are: paragraphs,
 * line breaks, backslash escapes, strong and emphasis, links and bare URLs; it follows
 * markdown-it's own rules for them (flanking, linkify, link normalisation) and gives up, by
 * returning null, on anything else or anything ambiguous. Its HTML then passes the same
 * sanitizer as the renderer's, so the allowlist is the one wall either way.
 * renderImported() falls back to renderMarkdown(); quick-render.test.ts checks, on generated
 * and hostile input, that both always give the same HTML.
 */
const { linkify, normalizeLink, normalizeLinkText, validateLink, utils } = markdownRules;

type Token =
  | { type: "text" | "special"; content: string }
  | { type: "open" | "close"; tag: "strong" | "em" }
  | { type: "link_open"; href: string }
  | { type: "link_close" }
  | { type: "break" };

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

/** Characters markdown-it reads as Markdown inside a paragraph that the quick renderer leaves to it. */
const UNHANDLED = new Set(["`", "<", "&", "_", "]", "\r", "\0"]);
/** What a backslash escapes (markdown-it's list). */
const ESCAPABLE = new Set("\\!\"#$%&'()*+,./:;<=>?@[]^_`{|}~-");

const isSchemeChar = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
const isAsciiAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** The code point before `at` and at `at`, as markdown-it's scanDelims reads them (U+FFFD for a broken pair). */
function codePointBefore(src: string, at: number): number {
  if (at === 0) return 0x20;
  const c = src.charCodeAt(at - 1);
  if ((c & 0xfc00) === 0xdc00) {
    const high = at >= 2 ? src.charCodeAt(at - 2) : 0;
    return (high & 0xfc00) === 0xd800 ? 0x10000 + ((high - 0xd800) << 10) + (c - 0xdc00) : 0xfffd;
  }
  return (c & 0xf800) === 0xd800 ? 0xfffd : c;
}

function codePointAt(src: string, at: number, max: number): number {
  if (at >= max) return 0x20;
  const c = src.charCodeAt(at);
  if ((c & 0xfc00) === 0xd800) {
    const low = src.charCodeAt(at + 1);
    return (low & 0xfc00) === 0xdc00 ? 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00) : 0xfffd;
  }
  return (c & 0xfc00) === 0xdc00 ? 0xfffd : c;
}

/** Whether a run of `*` at `at` (ending at `end`) can open and can close emphasis: CommonMark's flanking rules. */
function flanking(src: string, at: number, end: number, max: number): { open: boolean; close: boolean } {
  const last = codePointBefore(src, at);
  const next = codePointAt(src, end, max);
  const lastPunct = utils.isMdAsciiPunct(last) || utils.isPunctCharCode(last);
  const nextPunct = utils.isMdAsciiPunct(next) || utils.isPunctCharCode(next);
  const lastSpace = utils.isWhiteSpace(last);
  const nextSpace = utils.isWhiteSpace(next);
  return {
    open: !nextSpace && (!nextPunct || lastSpace || lastPunct),
    close: !lastSpace && (!lastPunct || nextSpace || nextPunct),
  };
}

/** One paragraph's (or link label's) inline tokens, from `start` to `max` of `src`. */
function inline(src: string, start: number, max: number, inLabel: boolean): Token[] {
  const tokens: Token[] = [];
  const open: ("strong" | "em")[] = [];
  let pending = "";
  const flush = () => {
    if (pending) tokens.push({ type: "text", content: pending });
    pending = "";
  };
  let pos = start;
  while (pos < max) {
    const ch = src[pos];
    if (ch === "\\") {
      const next = src[pos + 1];
      if (pos + 1 >= max || !ESCAPABLE.has(next)) giveUp();
      flush();
      tokens.push({ type: "special", content: next });
      pos += 2;
    } else if (ch === "\n") {
      pending = pending.replace(/ +$/, "");
      flush();
      tokens.push({ type: "break" });
      pos += 1;
      while (pos < max && (src[pos] === " " || src[pos] === "\t")) pos += 1;
    } else if (ch === "*") {
      let end = pos;
      while (end < max && src[end] === "*") end += 1;
      const length = end - pos;
      const { open: canOpen, close: canClose } = flanking(src, pos, end, max);
      const tag = length === 1 ? "em" : length === 2 ? "strong" : giveUp();
      // Only runs markdown-it could read one way, opened and closed in order.
      if (canOpen === canClose) giveUp();
      flush();
      if (canOpen) {
        open.push(tag);
        tokens.push({ type: "open", tag });
      } else {
        if (open.pop() !== tag) giveUp();
        tokens.push({ type: "close", tag });
      }
      pos = end;
    } else if (ch === "[") {
      if (inLabel) giveUp();
      pos = link(src, pos, max, tokens, flush);
    } else if (ch === ":" && !inLabel && src.startsWith("//", pos + 1)) {
      const taken = autolink(src, pos, max, pending);
      if (taken) {
        pending = pending.slice(0, pending.length - taken.protoLength);
        flush();
        tokens.push({ type: "link_open", href: taken.href }, { type: "text", content: taken.text }, { type: "link_close" });
        pos = taken.end;
      } else {
        pending += ch;
        pos += 1;
      }
    } else if (UNHANDLED.has(ch)) {
      giveUp();
    } else {
      pending += ch;
      pos += 1;
    }
  }
  flush();
  if (open.length > 0) giveUp();
  return tokens;
}

/** `[label](destination)`, as the importer writes links; anything fancier is left to markdown-it. */
function link(src: string, at: number, max: number, tokens: Token[], flush: () => void): number {
  let end = at + 1;
  while (end < max && src[end] !== "]") {
    if (src[end] === "[" || src[end] === "\n") giveUp();
    end += src[end] === "\\" ? 2 : 1;
  }
  if (end >= max || src[end + 1] !== "(") giveUp();
  const label = src.slice(at + 1, end);
  if (label.includes("://")) giveUp(); // markdown-it's linkify may read past the label's end
  const close = src.indexOf(")", end + 2);
  if (close === -1 || close >= max) giveUp();
  const destination = src.slice(end + 2, close);
  if (!destination || /[\s\\<>"(]|[\u0000-\u001f\u007f]|&[#a-z0-9]+;/i.test(destination)) giveUp();
  const href = normalizeLink(destination);
  if (!validateLink(href)) giveUp();
  flush();
  tokens.push({ type: "link_open", href }, ...inline(src, at + 1, end, true), { type: "link_close" });
  return close + 1;
}

/** markdown-it's inline linkify rule: a URL with a scheme, found at its `://`. */
function autolink(src: string, at: number, max: number, pending: string) {
  const protoMin = at - Math.min(10, pending.length, at);
  let protoStart = at;
  while (protoStart > protoMin && isSchemeChar(src.charCodeAt(protoStart - 1))) protoStart -= 1;
  if (protoStart === at || !isAsciiAlpha(src.charCodeAt(protoStart))) return null;
  const protoLength = at - protoStart;
  const found = linkify.matchAtStart(src.slice(protoStart, max));
  if (!found || found.url.length <= protoLength) return null;
  if (found.url.endsWith("*")) giveUp();
  const href = normalizeLink(found.url);
  if (!validateLink(href)) return null;
  return { protoLength, href, text: normalizeLinkText(found.url), end: protoStart + found.url.length };
}

/** markdown-it's core linkify rule: bare URLs and addresses in the text outside links. */
function linkifyText(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let inLink = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === "link_open") inLink += 1;
    if (token.type === "link_close") inLink -= 1;
    if (token.type !== "text" || inLink > 0 || !linkify.test(token.content)) {
      out.push(token);
      continue;
    }
    const text = token.content;
    let links = linkify.match(text) ?? [];
    if (links.length > 0 && links[0].index === 0 && tokens[i - 1]?.type === "special") links = links.slice(1);
    let last = 0;
    for (const found of links) {
      const href = normalizeLink(found.url);
      if (!validateLink(href)) continue;
      let label = found.text;
      if (!found.schema) label = normalizeLinkText(`http://${label}`).replace(/^http:\/\//, "");
      else if (found.schema === "mailto:" && !/^mailto:/i.test(label)) label = normalizeLinkText(`mailto:${label}`).replace(/^mailto:/, "");
      else label = normalizeLinkText(label);
      if (found.index > last) out.push({ type: "text", content: text.slice(last, found.index) });
      out.push({ type: "link_open", href }, { type: "text", content: label }, { type: "link_close" });
      last = found.lastIndex;
    }
    if (last < text.length) out.push({ type: "text", content: text.slice(last) });
  }
  return out;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);

function html(tokens: Token[]): string {
  let out = "";
  for (const t of tokens) {
    if (t.type === "text" || t.type === "special") out += escapeHtml(t.content);
    else if (t.type === "break") out += "<br>\n";
    else if (t.type === "open") out += `<${t.tag}>`;
    else if (t.type === "close") out += `</${t.tag}>`;
    else if (t.type === "link_open") out += `<a href="${escapeHtml(t.href)}">`;
    else out += "</a>";
  }
  return out;
}

/** A line markdown-it could read as the start of a block other than a paragraph. */
const BLOCK_START = /^ *(?:[>#]|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))|^ *\t/;

/** The quick renderer's HTML before the sanitizer, or null when it cannot tell what markdown-it would make. */
function quickHtml(source: string): string | null {
  try {
    let out = "";
    for (const block of source.split(/\n[ \t]*\n(?:[ \t]*\n)*/)) {
      if (block.split("\n").some((line) => BLOCK_START.test(line))) return null;
      const content = block.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
      if (!content) continue;
      let tokens = inline(content, 0, content.length, false);
      if (linkify.test(content)) tokens = linkifyText(tokens);
      out += `<p>${html(tokens)}</p>\n`;
    }
    return out;
  } catch (error) {
    if (error instanceof GiveUp) return null;
    throw error;
  }
}

/** The HTML renderMarkdown() gives for this source, or null when the quick renderer cannot tell. */
export function quickRender(source: string): string | null {
  const html = quickHtml(source);
  return html === null ? null : sanitize(html).trim();
}

/** An imported comment's HTML: the quick renderer when it can, else the renderer itself. */
export function renderImported(source: string): string {
  return quickRender(source) ?? renderMarkdown(source);
}

/**
 * renderImported() for a batch of sources. Most of the sanitizer's cost is per call, so the
 * quick renderer's HTML goes through it in groups, split again at a separator that quick
 * HTML never holds (it refuses NUL); each part is balanced, so the sanitizer treats it as
 * it would alone. If the parts ever did not come back one for one, each is sanitized alone.
 */
const GROUP = 20;
const SEPARATOR = "\u0000";

export function renderImportedAll(sources: string[]): string[] {
  const out: string[] = new Array(sources.length);
  const quick: { at: number; html: string }[] = [];
  sources.forEach((source, at) => {
    const html = quickHtml(source);
    if (html === null) out[at] = renderMarkdown(source);
    else quick.push({ at, html });
  });
  for (let i = 0; i < quick.length; i += GROUP) {
    const group = quick.slice(i, i + GROUP);
    let parts = sanitize(group.map((g) => g.html).join(SEPARATOR)).split(SEPARATOR);
    if (parts.length !== group.length) parts = group.map((g) => sanitize(g.html));
    group.forEach((g, k) => (out[g.at] = parts[k].trim()));
  }
  return out;
}
