import type { Comment, Page } from "../../shared/types.js";

/** Returns the list with one comment (found at any depth) replaced by `fn(comment)`. */
export function update(items: Comment[], id: string, fn: (c: Comment) => Comment): Comment[] {
  let changed = false;
  const next = items.map((c) => {
    if (c.id === id) {
      changed = true;
      return fn(c);
    }
    if (!c.replies) return c;
    const replies = update(c.replies.items, id, fn);
    if (replies === c.replies.items) return c;
    changed = true;
    return { ...c, replies: { ...c.replies, items: replies } };
  });
  return changed ? next : items;
}

export function find(items: Comment[], id: string): Comment | undefined {
  for (const c of items) {
    if (c.id === id) return c;
    const hit = c.replies && find(c.replies.items, id);
    if (hit) return hit;
  }
  return undefined;
}

/** Appends a page of replies under a comment, skipping any already shown (a permalink may have placed one). */
export function addReplies(c: Comment, page: Page<Comment>): Comment {
  const have = new Set((c.replies?.items ?? []).map((r) => r.id));
  return {
    ...c,
    replies: { items: [...(c.replies?.items ?? []), ...page.items.filter((r) => !have.has(r.id))], nextCursor: page.nextCursor },
  };
}

/** Adds a comment the reader just posted: a reply under its parent, a top-level comment first. */
export function insert(items: Comment[], comment: Comment): Comment[] {
  if (!comment.parentId) return [comment, ...items.filter((c) => c.id !== comment.id)];
  return update(items, comment.parentId, (parent) => ({
    ...parent,
    replyCount: parent.replyCount + 1,
    replies: {
      items: [...(parent.replies?.items ?? []).filter((r) => r.id !== comment.id), comment],
      nextCursor: parent.replies?.nextCursor ?? null,
    },
  }));
}

/** Comments a page adds that are not already on screen. */
export const fresh = (items: Comment[], page: Comment[]) => page.filter((c) => !items.some((i) => i.id === c.id));
