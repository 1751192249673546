import type { Decision } from "./decisions.js";
import type { Filters } from "./queue-feed.js";
import { type DeskAbilities, QUEUES, type Queue } from "./types.js";

export const NAMES: Record<Queue, string> = { pending: "Pending", reported: "Reported", rejected: "Rejected", all: "All" };

/** The queues as tabs, each with how many wait in it, and the key help. */
export function QueueTabs(props: { queue: Queue; suffix: string; counts: Record<string, number>; onHelp(): void }) {
  const { counts } = props;
  return (
    <nav class="tabs" aria-label="Queues">
      {QUEUES.map((q) => (
        <a key={q} href={`/admin/queues/${q}${props.suffix}`} aria-current={q === props.queue ? "page" : undefined}>
          {NAMES[q]}
          {counts[q] !== undefined && <span class="count" aria-label={`, ${counts[q]} waiting`}>{counts[q]}</span>}
        </a>
      ))}
      <button type="button" class="link help" onClick={props.onHelp} aria-keyshortcuts="?">
        Keys <kbd>?</kbd>
      </button>
    </nav>
  );
}

/** Site, text search and the filters set from elsewhere (a story, an author, a section), each removable. */
export function QueueFilters(props: { filters: Filters; desk: DeskAbilities; setFilter(name: string, value: string): void }) {
  const { filters, desk, setFilter } = props;
  const chip = (name: string, label: string, value: string) =>
    value && (
      <button type="button" class="chip removable" onClick={() => setFilter(name, "")}>
        {label} {value} ✕<span class="sr-only"> remove filter</span>
      </button>
    );
  return (
    <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setFilter("q", String(new FormData(e.currentTarget).get("q") ?? "")); }}>
      {desk.sites.length > 1 && (
        <label>
          Site
          <select value={filters.siteId} onChange={(e) => setFilter("site", (e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{desk.everySite ? "All sites" : "All my sites"}</option>
            {desk.sites.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
      )}
      <label>
        Search text
        <input type="search" name="q" defaultValue={filters.q} key={filters.q} />
      </label>
      <button type="submit">Search</button>
      {chip("story", "Story", filters.storyId)}
      {chip("author", "Author", filters.authorId)}
      {chip("section", "Section", filters.section)}
    </form>
  );
}

/** What to do with the selected comments. */
export function BulkBar(props: { count: number; onApprove(): void; onReject(): void; onClear(): void }) {
  return (
    <div class="bulk" role="toolbar" aria-label="Selected comments">
      <span>{props.count} selected</span>
      <button type="button" class="approve" onClick={props.onApprove}>Approve selected</button>
      <button type="button" class="reject" onClick={props.onReject}>Reject selected</button>
      <button type="button" onClick={props.onClear}>Clear selection</button>
    </div>
  );
}

/** The last decision, with its way back while it waits to be sent; and what the queue just did, for screen readers. */
export function UndoToast(props: { undo: Decision[]; announce: string; onUndo(): void }) {
  const last = props.undo[props.undo.length - 1];
  return (
    <div class="toasts" aria-live="polite">
      {last && (
        <div class="toast">
          {last.action === "approve" ? "Approved" : "Rejected"}{" "}
          {last.items.length > 1 ? `${last.items.length} comments` : "the comment"}.{" "}
          <button type="button" class="link" onClick={props.onUndo}>Undo <kbd>z</kbd></button>
        </div>
      )}
      <span class="sr-only">{props.announce}</span>
    </div>
  );
}
