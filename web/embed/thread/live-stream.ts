import { useEffect, useRef } from "preact/hooks";
import { type LiveEvent, followStory } from "./live.js";

/** Follows the story's live events for as long as the thread is shown; the latest handler gets each. */
export function useLiveStream(base: string, storyId: string, on: (event: LiveEvent) => void) {
  const handler = useRef(on);
  handler.current = on;
  useEffect(() => followStory(base, storyId, (event) => handler.current(event)), []);
}
