/**
 * The preview of the Markdown subset the server renders (paragraphs, **strong**, *em*,
 * `code`, links, > quotes, - and 1. lists). Everything is escaped first and only these
 * constructs become tags, so the preview can never hold markup the reader did not mean.
 * The published comment is always the server's rendering.
 */
const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function inline(text: string): string {
  return escape(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*]+)\*/g, "$1<em>$2</em>")
    .replace(/_([^_]+)_/g, "<em>$1</em>")
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" rel="nofollow ugc noopener">$1</a>')
    .replace(/\n/g, "<br>");
}

function block(chunk: string): string {
  const lines = chunk.split("\n");
  if (lines.every((l) => /^>\s?/.test(l))) return `<blockquote>${blocks(lines.map((l) => l.replace(/^>\s?/, "")).join("\n"))}</blockquote>`;
  if (lines.every((l) => /^[-*+]\s+/.test(l))) return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^[-*+]\s+/, ""))}</li>`).join("")}</ul>`;
  if (lines.every((l) => /^\d+[.)]\s+/.test(l))) return `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\d+[.)]\s+/, ""))}</li>`).join("")}</ol>`;
  return `<p>${inline(chunk)}</p>`;
}

function blocks(source: string): string {
  return source
    .split(/\n{2,}/)
    .map((c) => c.trim())
    .filter(Boolean)
    .map(block)
    .join("");
}

export const previewHtml = (source: string) => blocks(source.replace(/\r\n?/g, "\n"));
