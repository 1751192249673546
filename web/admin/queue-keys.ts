import { useEffect, useRef } from "preact/hooks";

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

/**
 * The queue's single-key commands. The key map is built on every render and read through a
 * ref, so a key pressed right after a state change (a dialog closing, a card leaving) never
 * meets a stale closure. Keys do nothing while the moderator types or a dialog is open.
 */
export function useQueueKeys(paused: boolean, keys: Record<string, () => void>) {
  const current = useRef({ paused, keys });
  current.current = { paused, keys };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const { paused, keys } = current.current;
      if (paused || typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const action = keys[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    addEventListener("keydown", listener);
    return () => removeEventListener("keydown", listener);
  }, []);
}
