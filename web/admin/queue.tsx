import { useEffect, useRef, useState } from "preact/hooks";
import { feature as featureComment } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { Card } from "./card.js";
import { desk as connection } from "./connection.js";
import { useDecisions } from "./decisions.js";
import { HelpDialog, RejectDialog } from "./dialogs.js";
import { Drawer } from "./drawer.js";
import { useQueueFeed } from "./queue-feed.js";
import { useQueueKeys } from "./queue-keys.js";
import { BulkBar, NAMES, QueueFilters, QueueTabs, UndoToast } from "./queue-parts.js";
import { navigate } from "./router.js";
import type { DeskAbilities, Queue, QueueItem } from "./types.js";

export { UNDO_MS } from "./decisions.js";

export function QueueView(props: { queue: Queue; params: URLSearchParams; desk: DeskAbilities }) {
  const { queue, params, desk } = props;
  const filters = {
    siteId: params.get("site") ?? "",
    storyId: params.get("story") ?? "",
    authorId: params.get("author") ?? "",
    q: params.get("q") ?? "",
    section: params.get("section") ?? "",
  };
  const key = `${queue}?${params.toString()}`;
  const [announce, setAnnounce] = useState("");
  const feed = useQueueFeed(queue, filters, key, setAnnounce);
  const { items, setItems, counts } = feed;
  const [index, setIndex] = useState(0);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<"reject" | "help" | null>(null);
  const [drawer, setDrawer] = useState<{ userId: string; storyId: string } | null>(null);
  const focusNext = useRef(false);
  const decisions = useDecisions(
    {
      ...feed,
      moved: (toTop) => {
        if (toTop) setIndex(0);
        focusNext.current = true;
      },
    },
    setAnnounce,
  );

  useEffect(() => {
    setIndex(0);
    setChecked(new Set());
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

  const decide = (targets: QueueItem[], action: "approve" | "reject", reason?: Parameters<typeof decisions.decide>[2]) => {
    const left = decisions.decide(targets, action, reason);
    if (!left) return;
    setChecked(new Set());
    feed.setCounts((c) => ({ ...c, [queue]: Math.max(0, (c[queue] ?? 0) - left) }));
  };

  /** An editor's pick from the desk: features the card's comment, or stops featuring it. */
  const feature = async (item: QueueItem) => {
    const on = !item.comment.featured;
    const name = item.comment.author.displayName;
    try {
      const { comment } = await featureComment(connection, item.comment.id, on);
      setItems((list) => list.map((i) => (i.comment.id === comment.id ? { ...i, comment: { ...i.comment, featured: comment.featured } } : i)));
      setAnnounce(on ? `Featured the comment by ${name} as an editor's pick.` : `The comment by ${name} is no longer an editor's pick.`);
    } catch (e) {
      feed.setError(`Not featured: ${(e as ApiError).message}`);
    }
  };

  const current = items[Math.min(index, items.length - 1)];
  const targets = () => (checked.size ? items.filter((i) => checked.has(i.comment.id)) : current ? [current] : []);
  const toggle = (id: string, on: boolean) =>
    setChecked((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  useQueueKeys(Boolean(dialog || drawer), {
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
    z: decisions.takeBack,
    "?": () => setDialog("help"),
  });

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    const q = next.toString();
    navigate(`/admin/queues/${queue}${q ? `?${q}` : ""}`);
  };

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title" class="sr-only">{NAMES[queue]} queue</h1>
      <QueueTabs queue={queue} suffix={params.toString() ? `?${params.toString()}` : ""} counts={counts} onHelp={() => setDialog("help")} />
      <QueueFilters filters={filters} desk={desk} setFilter={setFilter} />
      {checked.size > 0 && (
        <BulkBar count={checked.size} onApprove={() => decide(targets(), "approve")} onReject={() => setDialog("reject")} onClear={() => setChecked(new Set())} />
      )}
      {feed.error && <p class="error" role="alert">{feed.error}</p>}
      {feed.loading ? (
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
          {feed.cursor && <button type="button" onClick={feed.more}>Load more</button>}
        </div>
      )}
      <UndoToast undo={decisions.undo} announce={announce} onUndo={decisions.takeBack} />
      {dialog === "reject" && (
        <RejectDialog count={targets().length} onClose={() => setDialog(null)} onReject={(reason) => { setDialog(null); decide(targets(), "reject", reason); }} />
      )}
      {dialog === "help" && <HelpDialog onClose={() => setDialog(null)} />}
      {drawer && <Drawer userId={drawer.userId} storyId={drawer.storyId} desk={desk} onClose={() => setDrawer(null)} />}
    </section>
  );
}
