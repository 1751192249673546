import { useEffect, useRef, useState } from "preact/hooks";
import { queueCounts, queueEvents, queuePage } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import type { Queue, QueueItem } from "./types.js";

const POLL_MS = 15_000;

export interface Filters {
  siteId: string;
  storyId: string;
  authorId: string;
  q: string;
  section: string;
}

/**
 * A queue's cards and the tabs' counts, kept current: new comments join the end of the list
 * without a reload (the moderators' event stream asks at once, a slow poll covers servers
 * without it and dropped connections). Comments decided here never come back while their
 * decision is on its way.
 */
export function useQueueFeed(queue: Queue, filters: Filters, key: string, announce: (text: string) => void) {
  const [items, setItems] = useState<QueueItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState("");
  const [counts, setCounts] = useState<Record<string, number>>({});
  const decided = useRef(new Set<string>());
  const undecided = (list: QueueItem[]) => list.filter((i) => !decided.current.has(i.comment.id));
  const page = (after?: string | null) => queuePage(desk, queue, { ...filters, cursor: after, limit: 20 });
  const loadCounts = () =>
    queueCounts(desk, { siteId: filters.siteId, storyId: filters.storyId, section: filters.section }).then(setCounts, () => undefined);

  useEffect(() => {
    setLoading(true);
    setItems([]);
    page()
      .then(
        (p) => {
          setItems(undecided(p.items));
          setCursor(p.nextCursor);
          setError("");
        },
        (e: ApiError) => setError(e.message),
      )
      .finally(() => setLoading(false));
    void loadCounts();
    const refresh = () => {
      void loadCounts();
      page().then((p) => {
        setItems((current) => {
          const known = new Set(current.map((i) => i.comment.id));
          const fresh = undecided(p.items).filter((i) => !known.has(i.comment.id));
          if (fresh.length) announce(`${fresh.length} new in the queue`);
          return fresh.length ? [...current, ...fresh] : current;
        });
      }, () => undefined);
    };
    const poll = setInterval(refresh, POLL_MS);
    let soon = 0;
    const live = typeof EventSource === "function" ? new EventSource(queueEvents()) : null;
    live?.addEventListener("queue.changed", () => {
      clearTimeout(soon);
      soon = window.setTimeout(refresh, 300);
    });
    return () => {
      clearInterval(poll);
      clearTimeout(soon);
      live?.close();
    };
  }, [key]);

  const more = async () => {
    const p = await page(cursor);
    setItems((current) => [...current, ...undecided(p.items)]);
    setCursor(p.nextCursor);
  };
  return { items, setItems, cursor, loading, error, setError, counts, setCounts, loadCounts, more, decided };
}
