import { useEffect, useState } from "preact/hooks";
import { auditLog } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import type { AuditAction, Page } from "./types.js";

/** The kinds of entries a moderator filters by, in words. */
const KINDS: [string, string][] = [
  ["comment.approve", "Comments approved"],
  ["comment.reject", "Comments rejected"],
  ["appeal.file", "Appeals filed"],
  ["appeal.uphold", "Appeals upheld"],
  ["appeal.reverse", "Appeals reversed"],
  ["user.ban", "Bans"],
  ["user.suspend", "Suspensions"],
  ["user.warn", "Warnings"],
  ["user.premod", "Pre-moderation"],
  ["user.clear", "Standing cleared"],
  ["user.note", "Notes"],
  ["story.update", "Stories changed"],
  ["settings.update", "Moderation settings"],
  ["site.create", "Sites added"],
  ["site.update", "Sites changed"],
];

/** The audit log, newest first, filtered by who, what and when, each entry a sentence. */
export function Log() {
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [actorName, setActorName] = useState("");
  const [page, setPage] = useState<Page<AuditAction> | null>(null);
  const [error, setError] = useState("");
  const load = (cursor?: string) =>
    auditLog(desk, { ...filter, cursor }).then(
      (next) => {
        setError("");
        setPage((prev) =>
          cursor && prev ? { items: [...prev.items, ...next.items], nextCursor: next.nextCursor } : next,
        );
      },
      (e: ApiError) => setError(e.message),
    );
  useEffect(() => void load(), [filter]);

  const submit = (event: Event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const day = (name: string, end: boolean) => {
      const v = String(f.get(name) ?? "");
      return v ? new Date(`${v}T00:00:00`).getTime() + (end ? 86400_000 : 0) : undefined;
    };
    const since = day("since", false);
    const until = day("until", true);
    setFilter({
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      action: String(f.get("action") ?? ""),
      ...(since ? { since: new Date(since).toISOString() } : {}),
      ...(until ? { until: new Date(until).toISOString() } : {}),
    });
  };
  const byActor = (actor: AuditAction["actor"]) => {
    if (!actor) return;
    setActorName(actor.displayName);
    setFilter({ ...filter, actorId: actor.id });
  };
  const { actorId: _everyone, ...withoutActor } = filter;

  return (
    <section aria-labelledby="log-title">
      <h1 id="log-title">Audit log</h1>
      <form class="filters" onSubmit={submit}>
        <label>
          What
          <select name="action" defaultValue={filter.action ?? ""}>
            <option value="">Everything</option>
            {KINDS.map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" name="since" />
        </label>
        <label>
          To <input type="date" name="until" />
        </label>
        <button type="submit">Filter</button>
      </form>
      {filter.actorId && (
        <p class="filter-chip">
          Only what {actorName} did.{" "}
          <button type="button" class="link" onClick={() => setFilter(withoutActor)}>
            Show everyone’s
          </button>
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!page ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <div class="table-wrap">
          <table class="log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">Reason</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((x) => (
                <tr key={x.id}>
                  <td>
                    <time dateTime={x.createdAt}>{new Date(x.createdAt).toLocaleString()}</time>
                  </td>
                  <td>
                    {x.summary}
                    {x.href && (
                      <>
                        {" "}
                        <a href={x.href} target="_blank" rel="noopener noreferrer">
                          See it
                        </a>
                      </>
                    )}
                  </td>
                  <td>
                    {x.reason?.label && <span class="chip">{x.reason.label}</span>}
                    {x.reason?.text && <> “{x.reason.text}”</>}
                  </td>
                  <td>
                    {x.actor ? (
                      <button type="button" class="link" onClick={() => byActor(x.actor)}>
                        {x.actor.displayName}
                      </button>
                    ) : (
                      "Parley"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.items.length === 0 && <p class="empty">No entries match.</p>}
          {page.nextCursor && (
            <button type="button" onClick={() => load(page.nextCursor ?? undefined)}>
              Load more
            </button>
          )}
        </div>
      )}
    </section>
  );
}
