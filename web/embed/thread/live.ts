import type { Comment } from "../../shared/types.js";
import type { StoryCorrection } from "./corrections.js";
import { storyEvents } from "../../shared/endpoints.js";

export type LiveEvent =
  | { type: "comment.created" | "comment.updated"; comment: Comment }
  | { type: "comment.removed"; id: string }
  | { type: "reaction.changed"; id: string; reactions: Record<string, number> }
  | { type: "story.corrected"; correction: StoryCorrection }
  | { type: "note.updated"; id: string };

const TYPES = ["comment.created", "comment.updated", "comment.removed", "reaction.changed", "note.updated"] as const;

/**
 * Follows a story's event stream. Until the server offers one the request fails once, and
 * the thread simply stays as it is: no retries, no error shown to the reader.
 */
export function followStory(base: string, storyId: string, on: (event: LiveEvent) => void): () => void {
  if (typeof EventSource === "undefined") return () => undefined;
  let opened = false;
  const source = new EventSource(storyEvents(base, storyId));
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
  source.addEventListener("story.corrected", (e) => {
    try {
      const data = JSON.parse((e as MessageEvent<string>).data) as { correction?: StoryCorrection };
      if (data.correction) on({ type: "story.corrected", correction: data.correction });
    } catch {
      // As above.
    }
  });
  return () => source.close();
}
