import { useCallback, useEffect, useState } from "preact/hooks";
import { type Decision as Sent, decide as send } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import type { QueueItem } from "./types.js";

/** How long a decision can be taken back before it is sent. */
export const UNDO_MS = 5000;

export interface Decision extends Sent {
  items: QueueItem[];
  timer: number;
}

interface Queue {
  decided: { current: Set<string> };
  setItems(change: (items: QueueItem[]) => QueueItem[]): void;
  setError(text: string): void;
  loadCounts(): void;
  /** The cards left or came back (to the top, when taken back): focus goes to the current one. */
  moved(toTop?: boolean): void;
}

/**
 * Decisions with a window to take them back: the cards leave at once, the request goes out
 * when the window closes (or when the page goes away), and z puts the last decision's cards back.
 */
export function useDecisions(queue: Queue, announce: (text: string) => void) {
  const [undo, setUndo] = useState<Decision[]>([]);
  const { decided, setItems, setError, loadCounts } = queue;

  const flush = async (d: Decision) => {
    const ids = d.items.map((i) => i.comment.id);
    try {
      await send(desk, ids, { action: d.action, reason: d.reason });
    } catch (e) {
      setError(`The decision was not saved: ${(e as ApiError).message}`);
      ids.forEach((id) => decided.current.delete(id));
      setItems((current) => [...d.items, ...current]);
    }
    setUndo((list) => list.filter((x) => x !== d));
    loadCounts();
  };

  /** Takes the cards out at once; answers how many left. */
  const decide = (targets: QueueItem[], action: Decision["action"], reason?: Decision["reason"]) => {
    if (targets.length === 0) return 0;
    const ids = new Set(targets.map((t) => t.comment.id));
    ids.forEach((id) => decided.current.add(id));
    const decision: Decision = { items: targets, action, reason, timer: 0 };
    decision.timer = window.setTimeout(() => void flush(decision), UNDO_MS);
    setUndo((list) => [...list, decision]);
    setItems((current) => current.filter((i) => !ids.has(i.comment.id)));
    const verb = action === "approve" ? "Approved" : "Rejected";
    announce(`${verb} ${targets.length > 1 ? `${targets.length} comments` : `the comment by ${targets[0].comment.author.displayName}`}. Press z to undo.`);
    queue.moved();
    return ids.size;
  };

  const takeBack = useCallback(() => {
    setUndo((list) => {
      const last = list[list.length - 1];
      if (!last) return list;
      clearTimeout(last.timer);
      last.items.forEach((i) => decided.current.delete(i.comment.id));
      setItems((current) => [...last.items, ...current.filter((i) => !last.items.includes(i))]);
      queue.moved(true);
      announce("Decision undone.");
      loadCounts();
      return list.slice(0, -1);
    });
  }, []);

  // Decisions still waiting out their undo window are sent when the page goes away.
  useEffect(() => {
    const leave = () =>
      undo.forEach((d) => {
        clearTimeout(d.timer);
        void flush(d);
      });
    addEventListener("pagehide", leave);
    return () => removeEventListener("pagehide", leave);
  }, [undo]);

  return { undo, decide, takeBack };
}
