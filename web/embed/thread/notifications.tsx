import { useEffect, useRef, useState } from "preact/hooks";
import type { MessageKey, Translate } from "../../shared/messages.js";
import type { Notification as Note } from "../../../src/shared/notifications.js";
import * as api from "../../shared/endpoints.js";
import type { Request } from "../../shared/http.js";

const TITLES: Record<Note["kind"], MessageKey> = {
  reply: "noteReply",
  quote: "noteQuote",
  "story.comment": "noteStoryComment",
  "comment.published": "notePublished",
  "comment.rejected": "noteRejected",
  staff: "noteStaff",
  featured: "noteFeatured",
  correction: "noteCorrection",
  "appeal.decided": "noteAppealUpheld",
};

const titleOf = (n: Note): MessageKey =>
  n.kind === "appeal.decided" && n.reasonCode === "reversed" ? "noteAppealReversed" : TITLES[n.kind];

/** A rejected comment's appeal (EU DSA): the deadline, then a short form to another moderator. */
function AppealForm({ t, request, note }: { t: Translate; request: Request; note: Note }) {
  const [state, setState] = useState<"closed" | "open" | "sending" | "sent">("closed");
  const [error, setError] = useState<string | null>(null);
  if (!note.decisionId || !note.appealUntil || Date.parse(note.appealUntil) < Date.now()) return null;
  const date = new Date(note.appealUntil).toLocaleDateString();
  const send = async (e: Event) => {
    e.preventDefault();
    const explanation = new FormData(e.currentTarget as HTMLFormElement).get("explanation");
    setState("sending");
    try {
      await api.appeal(request, note.decisionId!, String(explanation ?? ""));
      setState("sent");
    } catch (err) {
      setError(err instanceof Error ? err.message : t("networkError"));
      setState("open");
    }
  };
  if (state === "sent") return <p class="p-help" role="status">{t("appealSent")}</p>;
  return (
    <div class="p-appeal">
      <p class="p-help">{t("appealUntil", { date })}</p>
      {state === "closed" ? (
        <button type="button" class="p-more" onClick={() => setState("open")}>
          {t("appeal")}
        </button>
      ) : (
        <form onSubmit={(e) => void send(e)}>
          <label class="p-help" for={`appeal-${note.id}`}>
            {t("appealLabel")}
          </label>
          <textarea id={`appeal-${note.id}`} class="p-field" name="explanation" required maxLength={5000} rows={3} />
          {error && <p class="p-error" role="alert">{error}</p>}
          <button type="submit" class="p-more" disabled={state === "sending"}>
            {t("appealSend")}
          </button>
        </form>
      )}
    </div>
  );
}

/** Notifications a page of the list holds. */
const PAGE = 20;
/** The badge is cheap to ask for, but a page left open all day should not ask more than once a minute. */
const POLL_MS = 60_000;
/** The worker turns a comment into notifications a moment after the live event; ask again once it has. */
const AFTER_LIVE_MS = 2_500;

interface BellProps {
  t: Translate;
  request: Request;
  storyId: string;
  /** Changes whenever the thread's event stream delivers something. */
  liveTick: number;
  announce(text: string): void;
}

/** An inline bell (no emoji font needed): outlined, filled while following. */
const BellIcon = () => (
  <svg class="p-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </svg>
);

/** The signed-in reader's bell: the unread count, and the list behind it. */
export function Bell({ t, request, storyId, liveTick, announce }: BellProps) {
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const listEl = useRef<HTMLUListElement>(null);
  const last = useRef<number | null>(null);

  const show = (n: number) => {
    // Tell screen readers only about a change, not about the count found on load.
    if (last.current !== null && last.current !== n) announce(t("unreadCount", { n }));
    last.current = n;
    setUnread(n);
  };
  const refresh = () =>
    api.unreadCount(request)
      .then((r) => show(r.unread))
      .catch(() => undefined);

  useEffect(() => {
    void refresh();
    const poll = window.setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(poll);
  }, []);

  useEffect(() => {
    if (!liveTick) return;
    void refresh();
    const again = window.setTimeout(() => void refresh(), AFTER_LIVE_MS);
    return () => clearTimeout(again);
  }, [liveTick]);

  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    try {
      const page = await api.notifications(request, PAGE);
      setNotes(page.items);
      setNext(page.nextCursor);
      show(page.unread);
    } catch {
      setNotes([]);
      setNext(null);
    }
  };

  /** The next page by the API's cursor; the button goes once the oldest notification is shown. */
  const loadMore = async () => {
    if (!next || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api.notifications(request, PAGE, next);
      const known = new Set((notes ?? []).map((n) => n.id));
      const added = page.items.filter((n) => !known.has(n.id));
      setNotes((list) => [...(list ?? []), ...added]);
      setNext(page.nextCursor);
      show(page.unread);
      // Keyboard and screen-reader users continue at the first notification they had not seen.
      if (added[0]) setTimeout(() => listEl.current?.querySelector<HTMLElement>(`[data-note="${added[0].id}"]`)?.focus(), 0);
    } catch {
      announce(t("networkError"));
    } finally {
      setLoadingMore(false);
    }
  };

  const readAll = async () => {
    const r = await api.readAll(request).catch(() => null);
    if (!r) return;
    setNotes((list) => list && list.map((n) => ({ ...n, read: true })));
    show(r.unread);
  };

  const close = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    setOpen(false);
    button.current?.focus();
  };

  const href = (n: Note) =>
    n.commentId ? (n.storyId && n.storyId !== storyId && n.url ? n.url : `#comment-${n.commentId}`) : undefined;

  const count = unread ?? 0;
  return (
    <div class="p-bell" onKeyDown={close}>
      <button
        ref={button}
        type="button"
        class="p-action"
        aria-label={t("notificationsLabel", { n: count })}
        aria-expanded={open}
        aria-controls="p-notes"
        onClick={() => void toggle()}
      >
        <BellIcon />
        {count > 0 && (
          <span class="p-badge" aria-hidden="true">
            {count}
          </span>
        )}
      </button>
      <div id="p-notes" class="p-notes" role="region" aria-label={t("notifications")} hidden={!open}>
        {notes === null ? (
          <p class="p-help">{t("loading")}</p>
        ) : notes.length === 0 ? (
          <p class="p-help">{t("noNotifications")}</p>
        ) : (
          <ul ref={listEl}>
            {notes.map((n) => {
              const link = href(n);
              const title = t(titleOf(n), { name: n.actorName ?? t("staff") });
              return (
                <li key={n.id} class={n.read ? "" : "p-unread"} data-note={n.id} tabIndex={-1}>
                  {link ? (
                    <a href={link} onClick={() => setOpen(false)}>
                      {title}
                    </a>
                  ) : (
                    <strong>{title}</strong>
                  )}
                  {(n.message ?? n.excerpt) && <p>{n.message ?? n.excerpt}</p>}
                  {n.kind === "comment.rejected" && <AppealForm t={t} request={request} note={n} />}
                </li>
              );
            })}
          </ul>
        )}
        {next && (
          <button type="button" class="p-more" disabled={loadingMore} onClick={() => void loadMore()}>
            {t("moreNotifications")}
          </button>
        )}
        <button type="button" class="p-more" onClick={() => void readAll()}>
          {t("markAllRead")}
        </button>
      </div>
    </div>
  );
}

/** "Follow this story": new top-level comments arrive in the reader's notifications. */
export function FollowToggle({ t, request, storyId, announce }: Omit<BellProps, "liveTick">) {
  const [following, setFollowing] = useState<boolean | null>(null);
  useEffect(() => {
    api.following(request, storyId)
      .then((r) => setFollowing(r.following))
      .catch(() => undefined);
  }, []);
  const toggle = async () => {
    const r = await api.follow(request, storyId, !following).catch(() => null);
    if (!r) return;
    setFollowing(r.following);
    announce(t(r.following ? "followingStory" : "unfollowedStory"));
  };
  return (
    <button type="button" class="p-action p-follow" aria-pressed={following === true} disabled={following === null} onClick={() => void toggle()}>
      <BellIcon />
      {t("followStory")}
    </button>
  );
}
