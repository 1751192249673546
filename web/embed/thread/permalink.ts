import { useEffect } from "preact/hooks";
import { commentWithAncestors } from "../../shared/endpoints.js";
import type { Request } from "../../shared/http.js";
import type { Comment } from "../../shared/types.js";
import { MAX_INDENT_DEPTH } from "../../shared/types.js";
import { find, update } from "./tree.js";

interface Thread {
  root: ShadowRoot;
  request: Request;
  storyId: string;
  items: { current: Comment[] };
  setItems(change: (list: Comment[]) => Comment[]): void;
  focus(id: string): void;
}

/**
 * Opens `#comment-<id>` (on load and on every hash change): fetches the comment with its
 * ancestors when the page does not hold it, focuses a thread deeper than the indentation
 * allows, and scrolls the comment into view.
 */
export function usePermalink(thread: Thread) {
  useEffect(() => {
    const open = () => void openPermalink(thread);
    open();
    window.addEventListener("hashchange", open);
    return () => window.removeEventListener("hashchange", open);
  }, []);
}

async function openPermalink({ root, request, storyId, items, setItems, focus }: Thread) {
  const match = /^#comment-([\w-]{1,64})$/.exec(location.hash);
  if (!match) return;
  const id = match[1];
  if (!find(items.current, id)) {
    try {
      const { comment, ancestors } = await commentWithAncestors(request, id);
      if (comment.storyId !== storyId) return;
      // Chain the ancestors root first, each holding the next, and place the chain on top.
      const chain = [...ancestors, comment];
      let node: Comment = { ...chain[chain.length - 1] };
      for (let i = chain.length - 2; i >= 0; i--) {
        const known = find(items.current, chain[i].id);
        node = { ...(known ?? chain[i]), replies: { items: [node], nextCursor: null } };
        if (known) break;
      }
      setItems((list) => (find(list, node.id) ? update(list, node.id, () => node) : [node, ...list]));
    } catch {
      return;
    }
  }
  const target = find(items.current, id);
  if (target && target.depth > MAX_INDENT_DEPTH) {
    // The ancestor at the deepest indentation shown, as the new top of the thread.
    let node: Comment | undefined = target;
    while (node && node.depth > target.depth - MAX_INDENT_DEPTH && node.parentId) node = find(items.current, node.parentId);
    focus(node?.id ?? target.id);
  }
  setTimeout(() => {
    const article = root.getElementById(`comment-${id}`)?.querySelector<HTMLElement>(".p-comment");
    if (!article) return;
    root.querySelectorAll(".p-target").forEach((el) => el.classList.remove("p-target"));
    article.classList.add("p-target");
    article.scrollIntoView({ block: "center" });
    article.focus({ preventScroll: true });
  }, 30);
}
