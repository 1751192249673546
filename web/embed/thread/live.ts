import type { Comment } from "../../shared/types.js";

export type LiveEvent =
  | { type: "comment.created" | "comment.updated"; comment: Comment }
  | { type: "comment.removed"; id: string }
  | { type: "reaction.changed"; id: string; reactions: Record<string, number> }
  | { type: "note.updated"; id: string };

const TYPES = ["comment.created", "comment.updated", "comment.removed", "reaction.changed", "note.updated"] as const;

/**
 * Follows a story's event stream. Until the server offers one the request fails once, and
 * the thread simply stays as it is: no retries, no error shown to the reader.
 */
export function followStory(base: string, storyId: string, on: (event: LiveEvent) => void): () => void {
  if (typeof EventSource === "undefined") return () => undefined;
  let opened = false;
  const source = new EventSource(`${base}/api/v1/stories/${encodeURIComponent(storyId)}/events`);
  source.onopen = () => (opened = true);
  source.onerror = () => {
    if (!opened) source.close();
  };
  for (const type of TYPES) {
    source.addEventListener(type, (e) => {
      try {
        const data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
        const comment = (data.comment ?? data) as Comment;
        on({ type, comment, id: String(data.id ?? data.commentId ?? data.noteId ?? comment.id), reactions: data.reactions } as LiveEvent);
      } catch {
        // A malformed event is dropped; the next reload shows the truth.
      }
    });
  }
  return () => source.close();
}
