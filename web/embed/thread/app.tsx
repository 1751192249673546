import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { exactTime, pickLang, translator } from "../../shared/messages.js";
import type { Bridge, Session } from "../../shared/bridge.js";
import type { Comment, Page, ReactionKind, ThreadState } from "../../shared/types.js";
import { MAX_INDENT_DEPTH, commentGate } from "../../shared/types.js";
import { client } from "./api.js";
import { CommentView } from "./comment.js";
import { Composer } from "./composer.js";
import { CorrectionsBlock, type StoryCorrection, SuggestCorrection, addToPage, pageBlock } from "./corrections.js";
import { Ctx, type Panel, type PostInput, type QuoteDraft, type Rating, type ThreadCtx, type ThreadSort } from "./context.js";
import { type LiveEvent, followStory } from "./live.js";
import { type Selected, currentSelection, firstParagraph } from "./quote.js";
import { Bell, FollowToggle } from "./notifications.js";
import { SignIn } from "./signin.js";
import { ContextNotes } from "./notes.js";
import { PicksStrip } from "./picks.js";
import { SortSwitch } from "./sort.js";
import { addReplies, find, fresh, insert, update } from "./tree.js";

const PAGE = 20;

/** Corrections by id, oldest first: a live event and the first load may bring the same one. */
const merge = (now: StoryCorrection[], more: StoryCorrection[]) => {
  const byId = new Map(now.map((c) => [c.id, c]));
  for (const c of more) byId.set(c.id, c);
  return [...byId.values()].sort((a, b) => a.acceptedAt.localeCompare(b.acceptedAt));
};

/** A comment shown on its own, deeper than the indentation allows, with its depth counted from there. */
const rebase = (c: Comment, by: number): Comment => ({
  ...c,
  depth: c.depth - by,
  replies: c.replies && { ...c.replies, items: c.replies.items.map((r) => rebase(r, by)) },
});

export function App({ root, initial, bridge }: { root: ShadowRoot; initial: ThreadState; bridge: Bridge }) {
  const lang = pickLang(bridge.options.lang ?? initial.lang);
  const t = useMemo(() => translator(lang), [lang]);
  const [session, setSession] = useState<Session | null>(bridge.session());
  const [story, setStory] = useState(initial.story);
  const [sort, setSort] = useState<ThreadSort>(initial.sort);
  const [items, setItems] = useState<Comment[]>(initial.page.items);
  const [cursor, setCursor] = useState(initial.page.nextCursor);
  const [incoming, setIncoming] = useState<Comment[]>([]);
  const [panel, setPanel] = useState<Panel>(null);
  const [quote, setQuote] = useState<QuoteDraft | null>(null);
  const [ratings, setRatings] = useState<Record<string, Rating>>({});
  const [signingIn, setSigningIn] = useState(false);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [selected, setSelected] = useState<Selected | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const [liveTick, setLiveTick] = useState(0);
  const [picks, setPicks] = useState<Comment[]>([]);
  const [featureSites, setFeatureSites] = useState<string[]>([]);
  const [corrections, setCorrections] = useState<StoryCorrection[]>([]);
  // The signed-in reader's entitlements (from /me): whether a subscribers-only thread is theirs to join.
  const [entitlements, setEntitlements] = useState<string[]>([]);
  const [notesTick, setNotesTick] = useState(0);
  // Ratings belong to the reader who gave them; another reader starts from none.
  useEffect(() => setRatings({}), [session?.user.id]);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const postedRef = useRef<Comment[]>([]);
  const picksRef = useRef(picks);
  picksRef.current = picks;
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const request = useMemo(() => client(bridge.base, () => sessionRef.current?.token, t("networkError")), [bridge.base, t]);

  const announce = (text: string) => {
    setMessage("");
    setTimeout(() => setMessage(text), 50);
  };

  const loadPicks = () =>
    request<{ items: Comment[] }>("GET", `/api/v1/stories/${story.id}/featured`)
      .then((r) => setPicks(r.items))
      .catch(() => undefined);

  const loadFirst = async (s: ThreadSort) => {
    const before = postedRef.current.length;
    const page = await request<Page<Comment>>("GET", `/api/v1/stories/${story.id}/comments?sort=${s}&limit=${PAGE}`);
    // A comment the reader posted while this page was on its way is not lost when it lands.
    let list = page.items;
    for (const c of postedRef.current.slice(before)) if (!find(list, c.id) && (!c.parentId || find(list, c.parentId))) list = insert(list, c);
    setItems(list);
    setCursor(page.nextCursor);
    setIncoming([]);
  };

  // The page came from the server anonymously; a signed-in reader also sees their reactions and held comments.
  useEffect(() => {
    bridge.onSession(() => setSession(bridge.session()));
    if (session) {
      request<{ user: Session["user"] & { entitlements?: string[] }; abilities: { feature: string[] } }>("GET", "/api/v1/me")
        .then((me) => {
          setFeatureSites(me.abilities.feature);
          setEntitlements(me.user.entitlements ?? []);
          return loadFirst(sort);
        })
        .catch((e: { status?: number }) => {
          if (e.status === 401) bridge.saveSession(null);
        });
    }
    void loadPicks();
    if (!pageBlock(story.id)) {
      request<{ corrections?: StoryCorrection[] }>("GET", `/api/v1/stories/${story.id}`)
        .then((r) => setCorrections((now) => merge(now, r.corrections ?? [])))
        .catch(() => undefined);
    }
    const stop = followStory(bridge.base, story.id, onLive);
    void openPermalink();
    window.addEventListener("hashchange", openPermalink);
    return () => {
      stop();
      window.removeEventListener("hashchange", openPermalink);
    };
  }, []);

  useEffect(() => {
    let timer = 0;
    const check = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => setSelected(currentSelection(root)), 120);
    };
    document.addEventListener("selectionchange", check);
    return () => document.removeEventListener("selectionchange", check);
  }, []);

  /** Others' new comments wait behind a button, so the thread never moves under the reader's eyes. */
  function onLive(event: LiveEvent) {
    // Something happened in the thread: the bell asks whether it concerns this reader.
    setLiveTick((n) => n + 1);
    if (event.type === "comment.created") {
      if (event.comment.author.id === sessionRef.current?.user.id || find(itemsRef.current, event.comment.id)) return;
      setIncoming((list) => (list.some((c) => c.id === event.comment.id) ? list : [...list, event.comment]));
    } else if (event.type === "comment.updated") {
      setItems((list) => update(list, event.comment.id, (c) => ({ ...event.comment, replies: c.replies })));
      // A pick made or taken back elsewhere (the desk, another editor) shows at once.
      if (event.comment.featured || picksRef.current.some((p) => p.id === event.comment.id)) void loadPicks();
    } else if (event.type === "comment.removed") {
      setItems((list) => update(list, event.id, (c) => ({ ...c, status: "removed", bodyHtml: "" })));
    } else if (event.type === "reaction.changed") {
      setItems((list) => update(list, event.id, (c) => ({ ...c, reactions: event.reactions })));
    } else if (event.type === "story.corrected") {
      // Parley's article pages print corrections in the article itself; elsewhere they stand above the thread.
      const block = pageBlock(story.id);
      if (block) addToPage(block, event.correction, t, lang);
      else setCorrections((now) => merge(now, [event.correction]));
    } else if (event.type === "note.updated") {
      setNotesTick((n) => n + 1);
    }
  }

  const showIncoming = () => {
    let list = itemsRef.current;
    for (const c of incoming) list = c.parentId ? (find(list, c.parentId) ? insert(list, c) : list) : [c, ...list];
    setItems(list);
    setStory((s) => ({ ...s, commentCount: s.commentCount + incoming.length }));
    setIncoming([]);
  };

  async function openPermalink() {
    const match = /^#comment-([\w-]{1,64})$/.exec(location.hash);
    if (!match) return;
    const id = match[1];
    if (!find(itemsRef.current, id)) {
      try {
        const { comment, ancestors } = await request<{ comment: Comment; ancestors: Comment[] }>("GET", `/api/v1/comments/${id}`);
        if (comment.storyId !== story.id) return;
        // Chain the ancestors root first, each holding the next, and place the chain on top.
        const chain = [...ancestors, comment];
        let node: Comment = { ...chain[chain.length - 1] };
        for (let i = chain.length - 2; i >= 0; i--) {
          const known = find(itemsRef.current, chain[i].id);
          node = { ...(known ?? chain[i]), replies: { items: [node], nextCursor: null } };
          if (known) break;
        }
        setItems((list) => (find(list, node.id) ? update(list, node.id, () => node) : [node, ...list]));
      } catch {
        return;
      }
    }
    const target = find(itemsRef.current, id);
    if (target && target.depth > MAX_INDENT_DEPTH) setFocusId(await ancestorAt(target, target.depth - MAX_INDENT_DEPTH));
    setTimeout(() => {
      const article = root.getElementById(`comment-${id}`)?.querySelector<HTMLElement>(".p-comment");
      if (!article) return;
      root.querySelectorAll(".p-target").forEach((el) => el.classList.remove("p-target"));
      article.classList.add("p-target");
      article.scrollIntoView({ block: "center" });
      article.focus({ preventScroll: true });
    }, 30);
  }

  async function ancestorAt(c: Comment, depth: number): Promise<string> {
    let node: Comment | undefined = c;
    while (node && node.depth > depth && node.parentId) node = find(itemsRef.current, node.parentId);
    return node?.id ?? c.id;
  }

  const saveSession = (s: Session | null) => {
    bridge.saveSession(s);
    setSession(s);
    // The requests below go out before the next render: they must carry the new token.
    sessionRef.current = s;
    setSigningIn(false);
    if (s) {
      announce(t("signedInAs", { name: s.user.displayName }));
      // The reader signed in to write: put them in the composer (a reply's, when they were quoting a comment).
      setTimeout(() => root.querySelector<HTMLTextAreaElement>("textarea.p-field")?.focus(), 30);
      void loadFirst(sort);
      request<{ user: { entitlements?: string[] } }>("GET", "/api/v1/me")
        .then((me) => setEntitlements(me.user.entitlements ?? []))
        .catch(() => undefined);
    }
  };

  const gate = commentGate(story, session ? entitlements : null, Date.now());
  const ctx: ThreadCtx = {
    t,
    lang,
    base: bridge.base,
    viewer: session?.user ?? null,
    limits: initial.limits,
    open: gate.kind === "open",
    qa: story.mode === "qa",
    panel,
    quote,
    setPanel,
    setQuote,
    announce,
    signIn: () => {
      setSigningIn(true);
      root.host.scrollIntoView?.({ block: "start" });
    },
    async post(input: PostInput, key: string) {
      const { comment } = await request<{ comment: Comment }>("POST", `/api/v1/stories/${story.id}/comments`, input, { "idempotency-key": key });
      setItems((list) => insert(list, comment));
      postedRef.current.push(comment);
      if (comment.status === "published") setStory((s) => ({ ...s, commentCount: s.commentCount + 1 }));
      announce(comment.status === "pending" ? t("pending") : t("comments", { n: story.commentCount + 1 }));
      bridge.emit("comment.posted", { id: comment.id, status: comment.status });
      setTimeout(() => root.getElementById(`comment-${comment.id}`)?.querySelector<HTMLElement>(".p-comment")?.focus(), 30);
      return comment;
    },
    async edit(id, body) {
      const { comment } = await request<{ comment: Comment }>("PATCH", `/api/v1/comments/${id}`, { body });
      setItems((list) => update(list, id, (c) => ({ ...comment, replies: c.replies })));
    },
    async remove(id) {
      await request("DELETE", `/api/v1/comments/${id}`);
      setItems((list) => update(list, id, (c) => ({ ...c, status: "removed", bodyHtml: "", body: undefined })));
      setPanel(null);
      announce(t("removed"));
    },
    async react(comment: Comment, kind: ReactionKind) {
      const on = comment.viewerReactions.includes(kind);
      const state = await request<Pick<Comment, "reactions" | "viewerReactions">>(
        on ? "DELETE" : "POST",
        on ? `/api/v1/comments/${comment.id}/reactions/${kind}` : `/api/v1/comments/${comment.id}/reactions`,
        on ? undefined : { kind },
      );
      setItems((list) => update(list, comment.id, (c) => ({ ...c, ...state })));
    },
    ratings,
    async rate(comment: Comment, value: Rating) {
      const path = `/api/v1/comments/${comment.id}/rating`;
      // Pressing the rating already given takes it back.
      if (ratings[comment.id] === value) await request("DELETE", path);
      else await request("PUT", path, { value });
      setRatings((all) => {
        const next = { ...all };
        if (all[comment.id] === value) delete next[comment.id];
        else next[comment.id] = value;
        return next;
      });
    },
    async resendVerification() {
      await request("POST", "/api/v1/auth/verify/request");
    },
    mayFeature: featureSites.includes(story.siteId),
    async feature(comment: Comment, on: boolean) {
      const { comment: changed } = await request<{ comment: Comment }>(on ? "POST" : "DELETE", `/api/v1/comments/${comment.id}/feature`);
      setItems((list) => update(list, comment.id, (c) => ({ ...c, featured: changed.featured })));
      await loadPicks();
      announce(t(on ? "featuredDone" : "unfeaturedDone"));
    },
    async report(id, reason, note) {
      await request("POST", `/api/v1/comments/${id}/reports`, { reason, ...(note.trim() ? { note: note.trim() } : {}) });
      announce(t("reported"));
    },
    async moreReplies(comment: Comment) {
      const after = comment.replies?.nextCursor;
      const page = await request<Page<Comment>>("GET", `/api/v1/comments/${comment.id}/replies?limit=${PAGE}${after ? `&cursor=${encodeURIComponent(after)}` : ""}`);
      setItems((list) => update(list, comment.id, (c) => addReplies(c, page)));
    },
    focusThread: (id) => {
      setFocusId(id);
      root.host.scrollIntoView?.({ block: "start" });
    },
  };

  const changeSort = async (s: ThreadSort) => {
    if (s === sort) return;
    setSort(s);
    setFocusId(null);
    try {
      await loadFirst(s);
      setError("");
    } catch (e) {
      setError(String((e as Error).message));
    }
  };

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await request<Page<Comment>>("GET", `/api/v1/stories/${story.id}/comments?sort=${sort}&limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      setItems((list) => [...list, ...fresh(list, page.items)]);
      setCursor(page.nextCursor);
      setError("");
    } catch (e) {
      setError(String((e as Error).message));
    }
  };

  const startQuote = (sel: Selected | { source: "comment"; commentId: string; text: string }) => {
    const author = sel.commentId ? find(items, sel.commentId)?.author.displayName : undefined;
    setQuote({ source: sel.source, text: sel.text, label: author ?? t("theArticle"), ...(sel.commentId ? { commentId: sel.commentId } : {}) });
    setSelected(null);
    if (!session) return setSigningIn(true);
    if (sel.commentId) setPanel({ kind: "reply", id: sel.commentId });
    else root.host.scrollIntoView?.({ block: "start" });
  };

  const focused = focusId ? find(items, focusId) : undefined;
  const shown = focused ? [rebase(focused, focused.depth)] : items;
  return (
    <Ctx.Provider value={ctx}>
      <section class="parley" lang={lang} aria-labelledby="p-title">
        <header class="p-head">
          <h2 class="p-title" id="p-title">
            {t(story.mode === "qa" ? "questions" : "comments", { n: story.commentCount })}
          </h2>
          <SortSwitch t={t} sort={sort} qa={story.mode === "qa"} onSort={(s) => void changeSort(s)} />
          {/* Only signed-in readers get these, so the server-rendered header (title, sort) stays as it is for everyone else. */}
          {session && (
            <div class="p-tools">
              <FollowToggle key={session.user.id} t={t} request={request} storyId={story.id} announce={announce} />
              <Bell key={session.user.id} t={t} request={request} storyId={story.id} liveTick={liveTick} announce={announce} />
            </div>
          )}
        </header>
        <div class="p-compose-slot">
          {gate.kind === "closed" ? (
            <div class="p-note p-gate" role="status">
              <strong>{t("commentsClosed")}</strong>{" "}
              <span>{gate.closedAt ? t("closedOn", { date: exactTime(gate.closedAt, lang) }) : t("storyClosed")}</span>
            </div>
          ) : gate.kind === "subscribers" ? (
            <div class="p-note p-gate" role="status">
              <strong>{t("subscribersOnly")}</strong> <span>{t("subscribersOnlyWhy")}</span>
              <span class="p-gate-actions">
                {gate.subscribeUrl && (
                  <a class="p-btn p-primary" href={gate.subscribeUrl} target="_top" rel="noopener">
                    {t("subscribe")}
                  </a>
                )}
                {!session && !signingIn && (
                  <button type="button" class="p-action" onClick={() => setSigningIn(true)}>
                    {t("subscriberSignIn")}
                  </button>
                )}
              </span>
              {!session && signingIn && <SignIn base={bridge.base} request={request} onSession={saveSession} onCancel={() => setSigningIn(false)} />}
              {session && (
                <span class="p-gate-who">
                  {t("signedInAs", { name: session.user.displayName })}{" "}
                  <button type="button" class="p-action" onClick={() => { bridge.saveSession(null); setSession(null); }}>
                    {t("signOut")}
                  </button>
                </span>
              )}
            </div>
          ) : session ? (
            <>
              <p class="p-who">
                <span class="p-grow">{t("signedInAs", { name: session.user.displayName })}</span>
                <button type="button" class="p-action" onClick={() => { bridge.saveSession(null); setSession(null); }}>
                  {t("signOut")}
                </button>
              </p>
              <Composer mode="new" />
            </>
          ) : signingIn ? (
            <SignIn base={bridge.base} request={request} onSession={saveSession} onCancel={() => setSigningIn(false)} />
          ) : (
            <button type="button" class="p-btn p-primary" onClick={() => setSigningIn(true)}>
              {t("signInToComment")}
            </button>
          )}
          {gate.kind === "open" && (gate.closesAt || gate.premodNow || gate.registered) && (
            <p class="p-note p-closes">
              {[
                gate.registered ? t("registeredOnly") : "",
                gate.premodNow ? t("premodNow") : "",
                gate.closesAt ? t("closesOn", { date: exactTime(gate.closesAt, lang) }) : "",
              ]
                .filter(Boolean)
                .join(" ")}
            </p>
          )}
        </div>
        {!signingIn && (
          <div class="p-suggest-slot">
            <SuggestCorrection
              t={t}
              request={request}
              storyId={story.id}
              signedIn={session !== null}
              passage={quote?.source === "story" ? quote.text : ""}
              onSignIn={() => setSigningIn(true)}
              announce={announce}
            />
          </div>
        )}
        {selected && (
          <button
            type="button"
            class="p-btn p-primary p-quote-pop"
            style={{
              top: `${Math.max(8, Math.min(selected.rect.bottom + 8, innerHeight - 48))}px`,
              left: `${Math.max(8, Math.min(selected.rect.left, innerWidth - 120))}px`,
            }}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => startQuote(selected)}
            aria-label={t("quoteSelection")}
          >
            {t("quote")}
          </button>
        )}
        {incoming.length > 0 && !focused && (
          <button type="button" class="p-new" onClick={showIncoming}>
            {t("newComments", { n: incoming.length })}
          </button>
        )}
        {focused && (
          <button type="button" class="p-more" onClick={() => setFocusId(null)}>
            ← {t("backToThread")}
          </button>
        )}
        <p class="p-error" role="alert">
          {error}
        </p>
        {!focused && <CorrectionsBlock t={t} lang={lang} items={corrections} />}
        {!focused && <ContextNotes t={t} request={request} storyId={story.id} signedIn={session !== null} tick={notesTick} />}
        {picks.length > 0 && !focused && <PicksStrip t={t} picks={picks} />}
        {shown.length > 0 ? (
          <ol class="p-list">
            {shown.map((c) => (
              <CommentView key={c.id} comment={c} depth={c.depth} />
            ))}
          </ol>
        ) : (
          <p class="p-empty">{t(gate.kind === "closed" ? "noCommentsClosed" : "noComments")}</p>
        )}
        {cursor && !focused && (
          <button type="button" class="p-load" onClick={() => void loadMore()}>
            {t("loadMore")}
          </button>
        )}
        <div class="p-sr" aria-live="polite">
          {message}
        </div>
        <QuoteHook root={root} onQuote={startQuote} />
      </section>
    </Ctx.Provider>
  );
}

/** Lets a comment's own Quote button quote its selection, or its first paragraph when nothing is selected. */
function QuoteHook({ root, onQuote }: { root: ShadowRoot; onQuote: (q: { source: "comment"; commentId: string; text: string }) => void }) {
  useEffect(() => {
    const listener = (e: Event) => {
      const id = (e as CustomEvent<string>).detail;
      const sel = currentSelection(root);
      const text = sel?.source === "comment" && sel.commentId === id ? sel.text : firstParagraph(root, id);
      if (text) onQuote({ source: "comment", commentId: id, text });
    };
    root.addEventListener("parley-quote", listener);
    return () => root.removeEventListener("parley-quote", listener);
  });
  return null;
}
