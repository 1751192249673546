import { useContext, useState } from "preact/hooks";
import type { Comment } from "../../shared/types.js";
import { MAX_INDENT_DEPTH, REPORT_REASONS, type ReportReason } from "../../shared/types.js";
import { Actions } from "./actions.js";
import { ApiError } from "../../shared/http.js";
import { Composer } from "./composer.js";
import { Ctx, type ThreadCtx } from "./context.js";
import { RelativeTime } from "./time.js";

const REASON_KEYS = {
  offensive: "reasonOffensive",
  abusive: "reasonAbusive",
  spam: "reasonSpam",
  misinformation: "reasonMisinformation",
  "off-topic": "reasonOffTopic",
  other: "reasonOther",
} as const;

function Report({ comment, ctx }: { comment: Comment; ctx: ThreadCtx }) {
  const { t } = ctx;
  const [reason, setReason] = useState<ReportReason | "">("");
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [done, setDone] = useState(false);
  if (done) return <p class="p-dialog" role="status">{t("reported")}</p>;
  const send = async (e: Event) => {
    e.preventDefault();
    if (!reason) return;
    try {
      await ctx.report(comment.id, reason, note);
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form class="p-dialog" onSubmit={send}>
      <fieldset>
        <legend>{t("reportTitle")}</legend>
        {REPORT_REASONS.map((r) => (
          <label key={r}>
            <input type="radio" name={`reason-${comment.id}`} value={r} checked={reason === r} onChange={() => setReason(r)} />
            {t(REASON_KEYS[r])}
          </label>
        ))}
      </fieldset>
      <label class="p-help" for={`note-${comment.id}`}>
        {t("reportNote")}
      </label>
      <input id={`note-${comment.id}`} class="p-field" maxLength={500} value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
      <p class="p-error" role="alert">
        {error}
      </p>
      <div class="p-row">
        <button type="submit" class="p-btn p-primary" disabled={!reason}>
          {t("sendReport")}
        </button>
        <button type="button" class="p-btn" onClick={() => ctx.setPanel(null)}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

function ConfirmDelete({ comment, ctx }: { comment: Comment; ctx: ThreadCtx }) {
  const { t } = ctx;
  const [error, setError] = useState("");
  return (
    <div class="p-dialog" role="group" aria-label={t("confirmDelete")}>
      <p>{t("confirmDelete")}</p>
      <p class="p-error" role="alert">
        {error}
      </p>
      <div class="p-row">
        <button
          type="button"
          class="p-btn p-primary"
          ref={(el) => el?.focus()}
          onClick={() => ctx.remove(comment.id).catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)))}
        >
          {t("delete")}
        </button>
        <button type="button" class="p-btn" onClick={() => ctx.setPanel(null)}>
          {t("cancel")}
        </button>
      </div>
    </div>
  );
}

/** One comment with its actions, and its replies down to the indentation limit. */
export function CommentView({ comment: c, depth }: { comment: Comment; depth: number }) {
  const ctx = useContext(Ctx);
  const { t, viewer, panel } = ctx;
  const removed = c.status === "removed";
  const open = (kind: "reply" | "edit" | "report" | "delete") => {
    if (!viewer) return ctx.signIn();
    ctx.setPanel(panel?.kind === kind && panel.id === c.id ? null : { kind, id: c.id });
  };
  const here = panel?.id === c.id ? panel.kind : null;
  const items = c.replies?.items ?? [];
  const hidden = c.replyCount - items.length;
  const badges = c.author.badges.filter((b): b is "staff" | "moderator" | "admin" => b === "staff" || b === "moderator" || b === "admin");
  // Badges from the publisher's sign-in (e.g. "Reporter") are shown as written.
  const claims = c.author.badges.filter((b) => b !== "staff" && b !== "moderator" && b !== "admin");
  return (
    <li class={`p-item p-depth-${Math.min(depth, MAX_INDENT_DEPTH)}`} id={`comment-${c.id}`} data-comment-id={c.id}>
      <article class="p-comment" aria-labelledby={`p-author-${c.id}`} tabIndex={-1} data-removed={removed ? "" : undefined}>
        <header class="p-meta">
          <img class="p-avatar" src={c.author.avatarUrl} alt="" width={36} height={36} loading="lazy" />
          <span class="p-author" id={`p-author-${c.id}`}>
            {c.author.displayName}
          </span>
          {badges.map((b) => (
            <span key={b} class={`p-badge p-badge-${b}`}>
              {t(b)}
            </span>
          ))}
          {claims.map((b) => (
            <span key={b} class="p-badge p-badge-claim">
              {b}
            </span>
          ))}
          {c.featured && !removed && <span class="p-badge p-pick">{t("pickBadge")}</span>}
          {c.answered && !removed && <span class="p-badge p-answered">{t("answeredBadge")}</span>}
          {c.helpfulBadge && <span class="p-badge p-helpful">{t("helpfulBadge")}</span>}
          <a class="p-time" href={`#comment-${c.id}`}>
            <RelativeTime iso={c.createdAt} lang={ctx.lang} />
            <span class="p-sr"> · {t("permalink")}</span>
          </a>
          {c.editedAt && <span class="p-edited">({t("edited")})</span>}
        </header>
        {c.status === "pending" && <p class="p-status">{t("pending")}</p>}
        {here === "edit" ? (
          <Composer mode="edit" target={c} onDone={() => ctx.setPanel(null)} />
        ) : (
          <div class="p-body" dangerouslySetInnerHTML={{ __html: removed ? `<p class="p-removed">${t("removed")}</p>` : c.bodyHtml }} />
        )}
        {!removed && <Actions comment={c} here={here} open={open} />}
        {here === "reply" && <Composer mode="reply" target={c} onDone={() => ctx.setPanel(null)} />}
        {here === "report" && <Report comment={c} ctx={ctx} />}
        {here === "delete" && <ConfirmDelete comment={c} ctx={ctx} />}
      </article>
      {depth >= MAX_INDENT_DEPTH && c.replyCount > 0 ? (
        <button type="button" class="p-more p-continue" onClick={() => ctx.focusThread(c.id)}>
          {t("continueThread")} →
        </button>
      ) : (
        <>
          {items.length > 0 && (
            <ol class="p-replies">
              {items.map((r) => (
                <CommentView key={r.id} comment={r} depth={depth + 1} />
              ))}
            </ol>
          )}
          {hidden > 0 && (
            <button type="button" class="p-more" onClick={() => void ctx.moreReplies(c)}>
              {t(items.length > 0 ? "moreReplies" : "showReplies", { n: hidden })}
            </button>
          )}
        </>
      )}
    </li>
  );
}
