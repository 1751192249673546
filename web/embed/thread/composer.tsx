import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Comment } from "../../shared/types.js";
import { ApiError, newKey } from "../../shared/http.js";
import { Ctx } from "./context.js";
import { previewHtml } from "./markdown.js";

let composers = 0;

interface Props {
  /** The comment replied to, or edited; none for a new top-level comment. */
  target?: Comment;
  mode: "new" | "reply" | "edit";
  onDone?: () => void;
}

/** The distinct passages of `text` a nudge's spans point at (character offsets into what was sent). */
function passages(text: string, spans: unknown): string[] {
  if (!Array.isArray(spans)) return [];
  const out = new Set<string>();
  for (const span of spans as { start?: unknown; end?: unknown }[]) {
    if (typeof span.start === "number" && typeof span.end === "number" && span.end > span.start) {
      const passage = text.slice(span.start, span.end).trim();
      if (passage) out.add(passage.length > 120 ? `${passage.slice(0, 119)}…` : passage);
    }
  }
  return [...out].slice(0, 5);
}

/** Writing a comment, a reply or an edit: Markdown subset, preview, a character counter, errors in place. */
export function Composer({ target, mode, onDone }: Props) {
  const ctx = useContext(Ctx);
  const { t } = ctx;
  const [id] = useState(() => `p-compose-${++composers}`);
  const [text, setText] = useState(mode === "edit" ? (target?.body ?? "") : "");
  const [previewing, setPreviewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [unverified, setUnverified] = useState(false);
  /** The passages behind a nudge ("may read as hostile"), while the text is as it was sent. */
  const [nudged, setNudged] = useState<string[] | null>(null);
  const key = useRef(newKey());
  const field = useRef<HTMLTextAreaElement>(null);
  // A quote belongs to the composer it was started in: the top one for the article, a reply for a comment.
  const quote =
    ctx.quote && mode !== "edit" && (ctx.quote.commentId ?? null) === (mode === "reply" ? target?.id : null)
      ? ctx.quote
      : null;

  useEffect(() => {
    if (mode !== "new" || quote) field.current?.focus();
  }, [mode, quote]);

  const length = [...text].length;
  const left = ctx.limits.maxCommentLength - length;
  const submit = async (event?: Event, confirm = false) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError("");
    setNudged(null);
    try {
      if (mode === "edit" && target) {
        await ctx.edit(target.id, text);
      } else {
        const q = quote
          ? { source: quote.source, text: quote.text, ...(quote.commentId ? { commentId: quote.commentId } : {}) }
          : undefined;
        await ctx.post(
          {
            body: text,
            ...(mode === "reply" && target ? { parentId: target.id } : {}),
            ...(q ? { quote: q } : {}),
            ...(confirm ? { confirm: true } : {}),
          },
          key.current,
        );
        if (quote) ctx.setQuote(null);
      }
      key.current = newKey();
      setText("");
      setPreviewing(false);
      onDone?.();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setUnverified(e instanceof ApiError && e.code === "EMAIL_NOT_VERIFIED");
      if (e instanceof ApiError && e.code === "NEEDS_CONFIRMATION") {
        // A new key for the next try: the answer to this one (the nudge) is kept under the old.
        key.current = newKey();
        setNudged(passages(text, e.details?.spans));
      }
      field.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const label =
    mode === "edit"
      ? t("editLabel")
      : mode === "reply" && target
        ? t("replyTo", { name: target.author.displayName })
        : t("composerLabel");
  return (
    <form class="p-compose" onSubmit={submit} aria-label={label}>
      {quote && (
        <div class="p-quoting">
          <div class="p-grow">
            {t("quoting", { name: quote.label })}
            <q>{quote.text}</q>
          </div>
          <button type="button" class="p-action" onClick={() => ctx.setQuote(null)}>
            {t("removeQuote")}
          </button>
        </div>
      )}
      <div class="p-tabs">
        <button type="button" class="p-sort-option" aria-pressed={!previewing} onClick={() => setPreviewing(false)}>
          {t("write")}
        </button>
        <button type="button" class="p-sort-option" aria-pressed={previewing} onClick={() => setPreviewing(true)}>
          {t("preview")}
        </button>
      </div>
      <label class="p-sr" for={id}>
        {label}
      </label>
      {previewing ? (
        <div
          class="p-preview p-body"
          aria-live="polite"
          dangerouslySetInnerHTML={{ __html: previewHtml(text) || `<p>${t("previewEmpty")}</p>` }}
        />
      ) : (
        <textarea
          id={id}
          ref={field}
          class="p-field"
          value={text}
          placeholder={mode === "reply" ? t("replyPlaceholder") : ctx.qa ? t("questionPlaceholder") : t("composerPlaceholder")}
          aria-describedby={`${id}-count ${id}-help ${id}-error`}
          aria-invalid={error ? true : undefined}
          onInput={(e) => (setText((e.currentTarget as HTMLTextAreaElement).value), setNudged(null))}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit();
            if (e.key === "Escape" && onDone) onDone();
          }}
        />
      )}
      <p class="p-error" id={`${id}-error`} role="alert">
        {error}
        {unverified && (
          <button
            type="button"
            class="p-link"
            onClick={() =>
              void ctx.resendVerification().then(
                () => (setUnverified(false), setError(t("verificationSent"))),
                (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)),
              )
            }
          >
            {t("resendVerification")}
          </button>
        )}
      </p>
      {nudged && (
        <div class="p-nudge">
          {nudged.length > 0 && (
            <p>
              {t("nudgePassages")}{" "}
              {nudged.map((p, i) => (
                <mark key={i}>{p}</mark>
              ))}
            </p>
          )}
          <button type="button" class="p-btn" disabled={busy} onClick={() => void submit(undefined, true)}>
            {t("postAnyway")}
          </button>
        </div>
      )}
      <div class="p-row">
        <span class="p-help p-grow" id={`${id}-help`}>
          {t("formatHelp")}
          {/* Quoting the article is otherwise found only by selecting text. */}
          {mode !== "edit" && mode !== "reply" && !quote && <span class="p-tip">{t("quoteTip")}</span>}
        </span>
        <span class={left < 0 ? "p-count p-over" : "p-count"} id={`${id}-count`}>
          {left < 0 ? t("charactersOver", { n: -left }) : t("charactersLeft", { n: left })}
        </span>
        {onDone && (
          <button type="button" class="p-btn" onClick={onDone}>
            {t("cancel")}
          </button>
        )}
        <button type="submit" class="p-btn p-primary" disabled={busy || length === 0 || left < 0}>
          {busy ? t("posting") : mode === "edit" ? t("save") : mode === "reply" ? t("postReply") : t("post")}
        </button>
      </div>
    </form>
  );
}
