import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, api, query } from "./api.js";
import { Card } from "./card.js";
import { HelpDialog, RejectDialog } from "./dialogs.js";
import { Drawer } from "./drawer.js";
import { navigate } from "./router.js";
import { type DecisionReason, type DeskAbilities, type Page, QUEUES, type Queue, type QueueItem } from "./types.js";

/** How long a decision can be taken back before it is sent. */
export const UNDO_MS = 5000;
const POLL_MS = 15_000;
const NAMES: Record<Queue, string> = { pending: "Pending", reported: "Reported", rejected: "Rejected", all: "All" };

interface Decision {
  items: QueueItem[];
  action: "approve" | "reject";
  reason?: { code: DecisionReason; text?: string };
  timer: number;
}

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

export function QueueView(props: { queue: Queue; params: URLSearchParams; desk: DeskAbilities }) {
  const { queue, params, desk } = props;
  const sites = desk.sites;
  const filters = {
    siteId: params.get("site") ?? "",
    storyId: params.get("story") ?? "",
    authorId: params.get("author") ?? "",
    q: params.get("q") ?? "",
    section: params.get("section") ?? "",
  };
  const key = `${queue}?${params.toString()}`;
  const [items, setItems] = useState<QueueItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState("");
  const [index, setIndex] = useState(0);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [undo, setUndo] = useState<Decision[]>([]);
  const [dialog, setDialog] = useState<"reject" | "help" | null>(null);
  const [drawer, setDrawer] = useState<{ userId: string; storyId: string } | null>(null);
  const [announce, setAnnounce] = useState("");
  const decided = useRef(new Set<string>());
  const focusNext = useRef(false);

  const path = (after?: string | null) =>
    `/api/v1/moderation/queues/${queue}${query({ ...filters, cursor: after, limit: 20 })}`;
  const loadCounts = () =>
    api<Record<string, number>>("GET", `/api/v1/moderation/counts${query({ siteId: filters.siteId, storyId: filters.storyId, section: filters.section })}`)
      .then(setCounts, () => undefined);

  useEffect(() => {
    setLoading(true);
    setItems([]);
    setIndex(0);
    setChecked(new Set());
    api<Page<QueueItem>>("GET", path()).then(
      (page) => {
        setItems(page.items.filter((i) => !decided.current.has(i.comment.id)));
        setCursor(page.nextCursor);
        setError("");
      },
      (e: ApiError) => setError(e.message),
    ).finally(() => setLoading(false));
    loadCounts();
    // New comments join the end of the list without a reload; the live region says how many.
    // The moderators' event stream triggers a refresh at once; the slow poll covers servers
    // without it and dropped connections.
    const refresh = () => {
      loadCounts();
      api<Page<QueueItem>>("GET", path()).then((page) => {
        setItems((current) => {
          const known = new Set(current.map((i) => i.comment.id));
          const fresh = page.items.filter((i) => !known.has(i.comment.id) && !decided.current.has(i.comment.id));
          if (fresh.length) setAnnounce(`${fresh.length} new in the queue`);
          return fresh.length ? [...current, ...fresh] : current;
        });
      }, () => undefined);
    };
    const poll = setInterval(refresh, POLL_MS);
    let soon = 0;
    const live = typeof EventSource === "function" ? new EventSource("/api/v1/moderation/events") : null;
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

  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    const id = items[Math.min(index, items.length - 1)]?.comment.id;
    if (id) document.getElementById(`card-${id}`)?.focus();
  }, [index, items]);

  const move = (to: number) => {
    if (items.length === 0) return;
    const next = Math.max(0, Math.min(items.length - 1, to));
    setIndex(next);
    const card = document.getElementById(`card-${items[next].comment.id}`);
    card?.focus();
    card?.scrollIntoView({ block: "nearest" });
  };

  const send = async (d: Decision) => {
    const ids = d.items.map((i) => i.comment.id);
    try {
      if (ids.length === 1) {
        await api("POST", `/api/v1/moderation/comments/${ids[0]}/decision`, { action: d.action, reason: d.reason }, true);
      } else {
        await api("POST", "/api/v1/moderation/decisions", { ids, action: d.action, reason: d.reason }, true);
      }
    } catch (e) {
      setError(`The decision was not saved: ${(e as ApiError).message}`);
      ids.forEach((id) => decided.current.delete(id));
      setItems((current) => [...d.items, ...current]);
    }
    setUndo((list) => list.filter((x) => x !== d));
    loadCounts();
  };

  /** Removes the cards at once; the request goes out when the undo window closes. */
  const decide = (targets: QueueItem[], action: Decision["action"], reason?: Decision["reason"]) => {
    if (targets.length === 0) return;
    const ids = new Set(targets.map((t) => t.comment.id));
    ids.forEach((id) => decided.current.add(id));
    const decision: Decision = { items: targets, action, reason, timer: 0 };
    decision.timer = window.setTimeout(() => void send(decision), UNDO_MS);
    setUndo((list) => [...list, decision]);
    setItems((current) => current.filter((i) => !ids.has(i.comment.id)));
    setChecked(new Set());
    setCounts((c) => ({ ...c, [queue]: Math.max(0, (c[queue] ?? 0) - ids.size) }));
    const verb = action === "approve" ? "Approved" : "Rejected";
    setAnnounce(`${verb} ${targets.length > 1 ? `${targets.length} comments` : `the comment by ${targets[0].comment.author.displayName}`}. Press z to undo.`);
    focusNext.current = true;
  };

  /** An editor's pick from the desk: features the card's comment, or stops featuring it. */
  const feature = async (item: QueueItem) => {
    const on = !item.comment.featured;
    const name = item.comment.author.displayName;
    try {
      const { comment } = await api<{ comment: QueueItem["comment"] }>(on ? "POST" : "DELETE", `/api/v1/comments/${item.comment.id}/feature`);
      setItems((list) => list.map((i) => (i.comment.id === comment.id ? { ...i, comment: { ...i.comment, featured: comment.featured } } : i)));
      setAnnounce(on ? `Featured the comment by ${name} as an editor's pick.` : `The comment by ${name} is no longer an editor's pick.`);
    } catch (e) {
      setError(`Not featured: ${(e as ApiError).message}`);
    }
  };

  const takeBack = useCallback(() => {
    setUndo((list) => {
      const last = list[list.length - 1];
      if (!last) return list;
      clearTimeout(last.timer);
      last.items.forEach((i) => decided.current.delete(i.comment.id));
      setItems((current) => [...last.items, ...current.filter((i) => !last.items.includes(i))]);
      setIndex(0);
      focusNext.current = true;
      setAnnounce("Decision undone.");
      loadCounts();
      return list.slice(0, -1);
    });
  }, []);

  // Decisions still waiting out their undo window are sent when the page goes away.
  useEffect(() => {
    const flush = () => undo.forEach((d) => { clearTimeout(d.timer); void send(d); });
    addEventListener("pagehide", flush);
    return () => removeEventListener("pagehide", flush);
  }, [undo]);

  const current = items[Math.min(index, items.length - 1)];
  const targets = () => (checked.size ? items.filter((i) => checked.has(i.comment.id)) : current ? [current] : []);

  // The handler is swapped on every render and read through a ref, so a key pressed right after
  // a state change (a dialog closing, a card leaving) never meets a stale closure.
  const onKey = useRef<(event: KeyboardEvent) => void>(() => undefined);
  onKey.current = (event: KeyboardEvent) => {
    if (dialog || drawer || typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const actions: Record<string, () => void> = {
      j: () => move(index + 1),
      k: () => move(index - 1),
      a: () => decide(targets(), "approve"),
      r: () => targets().length && setDialog("reject"),
      u: () => current?.author && setDrawer({ userId: current.comment.author.id, storyId: current.comment.storyId }),
      x: () => current && toggle(current.comment.id, !checked.has(current.comment.id)),
      f: () => current && void feature(current),
      // The bulk keys act on the selection only, never on the current card by accident.
      A: () => (checked.size ? decide(targets(), "approve") : setAnnounce("Select comments with x first.")),
      R: () => (checked.size ? setDialog("reject") : setAnnounce("Select comments with x first.")),
      z: takeBack,
      "?": () => setDialog("help"),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey.current(event);
    addEventListener("keydown", listener);
    return () => removeEventListener("keydown", listener);
  }, []);

  const toggle = (id: string, on: boolean) =>
    setChecked((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    const q = next.toString();
    navigate(`/admin/queues/${queue}${q ? `?${q}` : ""}`);
  };

  const more = async () => {
    const page = await api<Page<QueueItem>>("GET", path(cursor));
    setItems((current) => [...current, ...page.items.filter((i) => !decided.current.has(i.comment.id))]);
    setCursor(page.nextCursor);
  };

  const suffix = params.toString() ? `?${params.toString()}` : "";
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title" class="sr-only">{NAMES[queue]} queue</h1>
      <nav class="tabs" aria-label="Queues">
        {QUEUES.map((q) => (
          <a key={q} href={`/admin/queues/${q}${suffix}`} aria-current={q === queue ? "page" : undefined}>
            {NAMES[q]}
            {counts[q] !== undefined && <span class="count" aria-label={`, ${counts[q]} waiting`}>{counts[q]}</span>}
          </a>
        ))}
        <button type="button" class="link help" onClick={() => setDialog("help")} aria-keyshortcuts="?">
          Keys <kbd>?</kbd>
        </button>
      </nav>
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setFilter("q", String(new FormData(e.currentTarget).get("q") ?? "")); }}>
        {sites.length > 1 && (
          <label>
            Site
            <select value={filters.siteId} onChange={(e) => setFilter("site", (e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{desk.everySite ? "All sites" : "All my sites"}</option>
              {sites.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
        )}
        <label>
          Search text
          <input type="search" name="q" defaultValue={filters.q} key={filters.q} />
        </label>
        <button type="submit">Search</button>
        {filters.storyId && <button type="button" class="chip removable" onClick={() => setFilter("story", "")}>Story {filters.storyId} ✕<span class="sr-only"> remove filter</span></button>}
        {filters.authorId && <button type="button" class="chip removable" onClick={() => setFilter("author", "")}>Author {filters.authorId} ✕<span class="sr-only"> remove filter</span></button>}
        {filters.section && <button type="button" class="chip removable" onClick={() => setFilter("section", "")}>Section {filters.section} ✕<span class="sr-only"> remove filter</span></button>}
      </form>
      {checked.size > 0 && (
        <div class="bulk" role="toolbar" aria-label="Selected comments">
          <span>{checked.size} selected</span>
          <button type="button" class="approve" onClick={() => decide(targets(), "approve")}>Approve selected</button>
          <button type="button" class="reject" onClick={() => setDialog("reject")}>Reject selected</button>
          <button type="button" onClick={() => setChecked(new Set())}>Clear selection</button>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {loading ? (
        <p aria-busy="true">Loading the queue…</p>
      ) : items.length === 0 ? (
        <p class="empty">Nothing waits here. New comments appear on their own.</p>
      ) : (
        <div class="cards">
          {items.map((item, i) => (
            <Card
              key={item.comment.id}
              item={item}
              current={item === current}
              checked={checked.has(item.comment.id)}
              onCheck={(on) => toggle(item.comment.id, on)}
              onFocus={() => setIndex(i)}
              onApprove={() => decide([item], "approve")}
              onReject={() => { setIndex(i); setChecked(new Set()); setDialog("reject"); }}
              onAuthor={() => setDrawer({ userId: item.comment.author.id, storyId: item.comment.storyId })}
            />
          ))}
          {cursor && <button type="button" onClick={more}>Load more</button>}
        </div>
      )}
      <div class="toasts" aria-live="polite">
        {undo.length > 0 && (
          <div class="toast">
            {undo[undo.length - 1].action === "approve" ? "Approved" : "Rejected"}{" "}
            {undo[undo.length - 1].items.length > 1 ? `${undo[undo.length - 1].items.length} comments` : "the comment"}.{" "}
            <button type="button" class="link" onClick={takeBack}>Undo <kbd>z</kbd></button>
          </div>
        )}
        <span class="sr-only">{announce}</span>
      </div>
      {dialog === "reject" && (
        <RejectDialog count={targets().length} onClose={() => setDialog(null)} onReject={(reason) => { setDialog(null); decide(targets(), "reject", reason); }} />
      )}
      {dialog === "help" && <HelpDialog onClose={() => setDialog(null)} />}
      {drawer && <Drawer userId={drawer.userId} storyId={drawer.storyId} desk={desk} onClose={() => setDrawer(null)} />}
    </section>
  );
}
