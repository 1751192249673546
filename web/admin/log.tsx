import { useEffect, useState } from "preact/hooks";
import { type ApiError, api, query } from "./api.js";
import type { AuditAction, Page } from "./types.js";

const KNOWN = ["comment.approve", "comment.reject", "user.ban", "user.suspend", "user.warn", "user.premod", "user.clear", "user.note", "settings.update", "site.create", "site.update"];
const brief = (value: unknown) => (value === null || value === undefined ? "" : JSON.stringify(value).slice(0, 160));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** What changed: the keys whose values differ between before and after, or the new value. */
function change(x: AuditAction): string {
  if (!isRecord(x.before) || !isRecord(x.after)) return x.after !== null ? brief(x.after) : brief(x.before);
  const before = x.before;
  const after = x.after;
  return Object.keys(after)
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${JSON.stringify(k)}:${brief(after[k])} (was ${brief(before[k])})`)
    .join("; ");
}

/** The audit log, newest first, filtered by who, what and when. */
export function Log() {
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [page, setPage] = useState<Page<AuditAction> | null>(null);
  const [error, setError] = useState("");
  const load = (cursor?: string) =>
    api<Page<AuditAction>>("GET", `/api/v1/moderation/log${query({ ...filter, cursor })}`).then(
      (next) => { setError(""); setPage((prev) => (cursor && prev ? { items: [...prev.items, ...next.items], nextCursor: next.nextCursor } : next)); },
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
      actorId: String(f.get("actorId") ?? "").trim(),
      action: String(f.get("action") ?? "").trim(),
      ...(since ? { since: new Date(since).toISOString() } : {}),
      ...(until ? { until: new Date(until).toISOString() } : {}),
    });
  };

  return (
    <section aria-labelledby="log-title">
      <h1 id="log-title">Audit log</h1>
      <form class="filters" onSubmit={submit}>
        <label>Actor id <input name="actorId" /></label>
        <label>
          Action
          <input name="action" list="log-actions" />
          <datalist id="log-actions">{KNOWN.map((a) => <option key={a} value={a} />)}</datalist>
        </label>
        <label>From <input type="date" name="since" /></label>
        <label>To <input type="date" name="until" /></label>
        <button type="submit">Filter</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {!page ? <p aria-busy="true">Loading…</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Reason</th><th scope="col">Change</th></tr></thead>
            <tbody>
              {page.items.map((x) => (
                <tr key={x.id}>
                  <td><time dateTime={x.createdAt}>{new Date(x.createdAt).toLocaleString()}</time></td>
                  <td><button type="button" class="link" onClick={() => setFilter({ ...filter, actorId: x.actorId ?? "" })}>{x.actorId ?? "system"}</button></td>
                  <td>{x.action}</td>
                  <td>{x.targetType} {x.targetId}</td>
                  <td>{x.reason ? `${x.reason.code ?? ""} ${x.reason.text ?? ""}` : ""}</td>
                  <td class="mono">{change(x)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.items.length === 0 && <p class="empty">No entries match.</p>}
          {page.nextCursor && <button type="button" onClick={() => load(page.nextCursor ?? undefined)}>Load more</button>}
        </div>
      )}
    </section>
  );
}
