import { useEffect, useState } from "preact/hooks";
import type { Bridge, Session } from "../../shared/bridge.js";
import * as api from "../../shared/endpoints.js";
import type { Lang, Translate } from "../../shared/messages.js";
import type { Comment, ThreadState } from "../../shared/types.js";
import { commentGate } from "../../shared/types.js";
import { CommentView } from "./comment.js";
import { useComments } from "./comments.js";
import { CorrectionsBlock, type StoryCorrection, SuggestCorrection, addToPage, pageBlock } from "./corrections.js";
import { useCommentActions } from "./comment-actions.js";
import { Ctx, type Panel, type QuoteDraft, type ThreadCtx, type ThreadSort } from "./context.js";
import { ComposeSlot } from "./gate.js";
import type { LiveEvent } from "./live.js";
import { useLiveStream } from "./live-stream.js";
import { Bell, FollowToggle } from "./notifications.js";
import { ContextNotes } from "./notes.js";
import { usePermalink } from "./permalink.js";
import { PicksStrip } from "./picks.js";
import { QuotePopover, type QuoteRequest, useQuotePopover } from "./quote-popover.js";
import { useSession } from "./session.js";
import { SortSwitch } from "./sort.js";
import { find, update } from "./tree.js";

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

export function App({ root, initial, bridge, t, lang }: { root: ShadowRoot; initial: ThreadState; bridge: Bridge; t: Translate; lang: Lang }) {
  const { session, ref: sessionRef, request, featureSites, entitlements, refresh, save } = useSession(bridge, t);
  const [story, setStory] = useState(initial.story);
  const thread = useComments(request, story.id, initial.page, initial.sort);
  const { items, setItems } = thread;
  const [panel, setPanel] = useState<Panel>(null);
  const [quote, setQuote] = useState<QuoteDraft | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const [liveTick, setLiveTick] = useState(0);
  const [picks, setPicks] = useState<Comment[]>([]);
  const [corrections, setCorrections] = useState<StoryCorrection[]>([]);
  const [notesTick, setNotesTick] = useState(0);

  const announce = (text: string) => {
    setMessage("");
    setTimeout(() => setMessage(text), 50);
  };
  const count = (n: number) => setStory((s) => ({ ...s, commentCount: s.commentCount + n }));
  const loadPicks = () =>
    api
      .storyPicks(request, story.id)
      .then((r) => setPicks(r.items))
      .catch(() => undefined);

  // The page came from the server anonymously; a signed-in reader also sees their reactions and held comments.
  useEffect(() => {
    if (session) {
      refresh()
        .then(() => thread.loadFirst(thread.sort))
        .catch((e: { status?: number }) => {
          if (e.status === 401) bridge.saveSession(null);
        });
    }
    void loadPicks();
    if (!pageBlock(story.id)) {
      api
        .storyOf(request, story.id)
        .then((r) => setCorrections((now) => merge(now, r.corrections ?? [])))
        .catch(() => undefined);
    }
  }, []);

  useLiveStream(bridge.base, story.id, (event: LiveEvent) => {
    // Something happened in the thread: the bell asks whether it concerns this reader.
    setLiveTick((n) => n + 1);
    if (event.type === "comment.created") {
      if (event.comment.author.id !== sessionRef.current?.user.id) thread.arrived(event.comment);
    } else if (event.type === "comment.updated") {
      setItems((list) => update(list, event.comment.id, (c) => ({ ...event.comment, replies: c.replies })));
      // A pick made or taken back elsewhere (the desk, another editor) shows at once.
      if (event.comment.featured || picks.some((p) => p.id === event.comment.id)) void loadPicks();
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
  });

  usePermalink({ root, request, storyId: story.id, items: thread.ref, setItems, focus: setFocusId });

  const startQuote = (sel: QuoteRequest) => {
    const author = sel.commentId ? find(items, sel.commentId)?.author.displayName : undefined;
    setQuote({ source: sel.source, text: sel.text, label: author ?? t("theArticle"), ...(sel.commentId ? { commentId: sel.commentId } : {}) });
    quotes.clear();
    if (!session) return setSigningIn(true);
    if (sel.commentId) setPanel({ kind: "reply", id: sel.commentId });
    else root.host.scrollIntoView?.({ block: "start" });
  };
  const quotes = useQuotePopover(root, startQuote);

  const saveSession = (s: Session | null) => {
    save(s);
    setSigningIn(false);
    if (s) {
      announce(t("signedInAs", { name: s.user.displayName }));
      // The reader signed in to write: put them in the composer (a reply's, when they were quoting a comment).
      setTimeout(() => root.querySelector<HTMLTextAreaElement>("textarea.p-field")?.focus(), 30);
      void thread.loadFirst(thread.sort);
      refresh().catch(() => undefined);
    }
  };

  const actions = useCommentActions({ root, bridge, request, t, story, viewerId: session?.user.id, items: thread, count, setPanel, announce, loadPicks });
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
    ...actions,
    mayFeature: featureSites.includes(story.siteId),
    focusThread: (id) => {
      setFocusId(id);
      root.host.scrollIntoView?.({ block: "start" });
    },
  };

  const attempt = async (work: () => Promise<void>) => {
    try {
      await work();
      setError("");
    } catch (e) {
      setError(String((e as Error).message));
    }
  };
  const changeSort = (s: ThreadSort) => {
    if (s === thread.sort) return;
    setFocusId(null);
    void attempt(() => thread.changeSort(s));
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
          <SortSwitch t={t} sort={thread.sort} qa={story.mode === "qa"} onSort={changeSort} />
          {/* Only signed-in readers get these, so the server-rendered header (title, sort) stays as it is for everyone else. */}
          {session && (
            <div class="p-tools">
              <FollowToggle key={session.user.id} t={t} request={request} storyId={story.id} announce={announce} />
              <Bell key={session.user.id} t={t} request={request} storyId={story.id} liveTick={liveTick} announce={announce} />
            </div>
          )}
        </header>
        <ComposeSlot
          t={t}
          lang={lang}
          gate={gate}
          session={session}
          signingIn={signingIn}
          base={bridge.base}
          request={request}
          setSigningIn={setSigningIn}
          onSession={saveSession}
        />
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
        {quotes.selected && <QuotePopover t={t} selected={quotes.selected} onQuote={startQuote} />}
        {thread.incoming.length > 0 && !focused && (
          <button type="button" class="p-new" onClick={() => count(thread.showIncoming())}>
            {t("newComments", { n: thread.incoming.length })}
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
        {thread.cursor && !focused && (
          <button type="button" class="p-load" onClick={() => void attempt(thread.loadMore)}>
            {t("loadMore")}
          </button>
        )}
        <div class="p-sr" aria-live="polite">
          {message}
        </div>
      </section>
    </Ctx.Provider>
  );
}
