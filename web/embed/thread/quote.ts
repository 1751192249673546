/** A passage the reader selected: in the article (the host page) or in one comment's text. */
export interface Selected {
  source: "story" | "comment";
  commentId?: string;
  text: string;
  rect: DOMRect;
}

const MAX_QUOTE = 1000;

type ComposedSelection = Selection & {
  getComposedRanges?: (options: { shadowRoots: ShadowRoot[] }) => StaticRange[];
};

/** The selected range, seen through our shadow root (Selection#getComposedRanges, or Chromium's older API). */
function selectedRange(root: ShadowRoot): Range | null {
  const selection = document.getSelection() as ComposedSelection | null;
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
    const inner = (root as ShadowRoot & { getSelection?: () => Selection | null }).getSelection?.();
    return inner && inner.rangeCount > 0 && !inner.isCollapsed ? inner.getRangeAt(0) : null;
  }
  try {
    const composed = selection.getComposedRanges?.({ shadowRoots: [root] })?.[0];
    if (composed) {
      const range = document.createRange();
      range.setStart(composed.startContainer, composed.startOffset);
      range.setEnd(composed.endContainer, composed.endOffset);
      return range;
    }
  } catch {
    // Older engines throw on the options object; the plain range below still serves the article.
  }
  return selection.getRangeAt(0);
}

/** What the current selection would quote, or null when it is not quotable. */
export function currentSelection(root: ShadowRoot): Selected | null {
  const range = selectedRange(root);
  if (!range || range.collapsed) return null;
  const text = range.toString().replace(/\s+/g, " ").trim();
  if (text.length < 2 || text.length > MAX_QUOTE) return null;
  const node = range.commonAncestorContainer;
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  if (!el) return null;
  const rect = range.getBoundingClientRect();
  if (el.getRootNode() === root) {
    const body = el.closest(".p-body");
    const commentId = body?.closest("[data-comment-id]")?.getAttribute("data-comment-id");
    return body && commentId ? { source: "comment", commentId, text, rect } : null;
  }
  if (el.getRootNode() !== document || root.host.contains(el)) return null;
  const article = document.querySelector("[data-parley-article]");
  if (article && !article.contains(el)) return null;
  return { source: "story", text, rect };
}

/** The first paragraph of a comment's own words (not a quote it holds), for quoting it without a selection. */
export function firstParagraph(root: ShadowRoot, commentId: string): string {
  const body = root.getElementById(`comment-${commentId}`)?.querySelector(".p-body");
  const paragraph = body && [...body.children].find((el) => el.localName === "p");
  return (paragraph?.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, MAX_QUOTE);
}
