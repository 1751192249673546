import { useEffect, useState } from "preact/hooks";
import { changeStory, deskStories } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import type { ListedStory, Page } from "./types.js";

type Status = ListedStory["status"];

/** Stories newest first with their waiting work; open, close or archive them and set pre-moderation. */
export function Stories() {
  const [filter, setFilter] = useState<{ q: string; status: string }>({ q: "", status: "" });
  const [page, setPage] = useState<Page<ListedStory> | null>(null);
  const [error, setError] = useState("");
  const [said, setSaid] = useState("");

  const load = (cursor?: string) =>
    deskStories(desk, { ...filter, cursor }).then(
      (next) => setPage((prev) => (cursor && prev ? { items: [...prev.items, ...next.items], nextCursor: next.nextCursor } : next)),
      (e: ApiError) => setError(e.message),
    );
  useEffect(() => void load(), [filter]);

  const change = async (story: ListedStory, patch: { status?: Status; premod?: boolean; mode?: "comments" | "qa" }) => {
    setError("");
    try {
      const updated = await changeStory(desk, story.id, patch);
      setPage((p) => p && { ...p, items: p.items.map((s) => (s.id === story.id ? { ...s, ...updated, pending: s.pending, reported: s.reported } : s)) });
      const what = patch.mode ? (patch.mode === "qa" ? "questions and answers" : "comments") : (patch.status ?? (patch.premod ? "pre-moderated" : "published at once"));
      setSaid(`${story.title}: ${what}.`);
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  return (
    <section aria-labelledby="stories-title">
      <h1 id="stories-title">Stories</h1>
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); const f = new FormData(e.currentTarget); setFilter({ q: String(f.get("q") ?? ""), status: String(f.get("status") ?? "") }); }}>
        <label>Search titles and URLs <input type="search" name="q" /></label>
        <label>
          Status
          <select name="status">
            <option value="">Any</option>
            <option value="open">Open</option>
            <option value="closed">Closed</option>
            <option value="archived">Archived</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <p class="sr-only" aria-live="polite">{said}</p>
      {!page ? <p aria-busy="true">Loading…</p> : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Story</th><th scope="col">Pending</th><th scope="col">Reported</th><th scope="col">Comments</th><th scope="col">Status</th><th scope="col">Pre-moderation</th><th scope="col">Q&amp;A</th></tr>
            </thead>
            <tbody>
              {page.items.map((s) => (
                <tr key={s.id}>
                  <th scope="row"><a href={s.url} target="_blank" rel="noopener noreferrer">{s.title}</a></th>
                  <td>{s.pending > 0 ? <a href={`/admin/queues/pending?story=${s.id}`} aria-label={`${s.pending} pending on ${s.title}`}>{s.pending}</a> : 0}</td>
                  <td>{s.reported > 0 ? <a href={`/admin/queues/reported?story=${s.id}`} aria-label={`${s.reported} reported on ${s.title}`}>{s.reported}</a> : 0}</td>
                  <td>{s.commentCount}</td>
                  <td>
                    <select aria-label={`Status of ${s.title}`} value={s.status} onChange={(e) => change(s, { status: (e.currentTarget as HTMLSelectElement).value as Status })}>
                      <option value="open">Open</option>
                      <option value="closed">Closed</option>
                      <option value="archived">Archived</option>
                    </select>
                  </td>
                  <td>
                    <label class="inline">
                      <input type="checkbox" checked={s.settings.premod} onChange={(e) => change(s, { premod: (e.currentTarget as HTMLInputElement).checked })} /> Hold every comment
                    </label>
                  </td>
                  <td>
                    <label class="inline">
                      <input type="checkbox" checked={s.mode === "qa"} onChange={(e) => change(s, { mode: (e.currentTarget as HTMLInputElement).checked ? "qa" : "comments" })} /> Questions the newsroom answers
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.items.length === 0 && <p class="empty">No stories match.</p>}
          {page.nextCursor && <button type="button" onClick={() => load(page.nextCursor ?? undefined)}>Load more</button>}
        </div>
      )}
    </section>
  );
}
