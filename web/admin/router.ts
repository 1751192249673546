import { useEffect, useState } from "preact/hooks";
import { QUEUES, type Queue } from "../../src/shared/queues.js";

/** The desk's views, one per path under /admin. */
export type Route =
  | { view: "queue"; queue: Queue }
  | { view: "stories" }
  | { view: "settings" }
  | { view: "log" }
  | { view: "dashboard" }
  | { view: "corrections" }
  | { view: "questions" }
  | { view: "appeals" }
  | { view: "team" };

export function parseRoute(path: string): Route {
  const parts = path.replace(/^\/admin\/?/, "").split("/").filter(Boolean);
  const queue = QUEUES.find((q) => q === parts[1]);
  if (parts[0] === "queues" && queue) return { view: "queue", queue };
  if (parts[0] === "stories" || parts[0] === "settings" || parts[0] === "log" || parts[0] === "dashboard" || parts[0] === "corrections" || parts[0] === "questions" || parts[0] === "appeals" || parts[0] === "team")
    return { view: parts[0] };
  return { view: "queue", queue: "pending" };
}

/** Moves to another view without a reload; the query string carries filters (story, author). */
export function navigate(href: string): void {
  history.pushState(null, "", href);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function useLocation(): { route: Route; params: URLSearchParams } {
  const read = () => ({ route: parseRoute(location.pathname), params: new URLSearchParams(location.search) });
  const [state, setState] = useState(read);
  useEffect(() => {
    const update = () => setState(read());
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return state;
}

/** A same-tab link that routes inside the desk; modified clicks keep the browser's behaviour. */
export function onLink(event: MouseEvent): void {
  const link = (event.target as Element).closest("a");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const href = link.getAttribute("href");
  if (!href?.startsWith("/admin")) return;
  event.preventDefault();
  navigate(href);
}
