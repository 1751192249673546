import { holdReason } from "./words.js";
import type { ComponentChildren } from "preact";
import { ago } from "./words.js";
import type { AuthorSummary, Bridging, QueueItem, Reason, Span } from "./types.js";

const label = holdReason;

/** The source text with the passages that drove a score marked, merged where they overlap. */
export function Highlighted(props: { text: string; spans: Span[] }) {
  const spans = [...props.spans].sort((a, b) => a.start - b.start);
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (const span of spans) {
    const start = Math.max(span.start, at);
    const end = Math.min(span.end, props.text.length);
    if (end <= start) continue;
    if (start > at) parts.push(props.text.slice(at, start));
    parts.push(<mark title={`${span.category} ${span.weight.toFixed(2)}`}>{props.text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(props.text.slice(at));
  return <p class="source">{parts}</p>;
}

export function Reasons(props: { reasons: Reason[]; storyUrl?: string }) {
  if (props.reasons.length === 0) return null;
  return (
    <ul class="reasons" aria-label="Why it is here">
      {props.reasons.map((r) => (
        <li key={`${r.phase}-${r.code}`}>
          <span class="chip">{r.phase}</span> <strong>{label(r.code)}</strong>
          {r.score !== undefined && <span class="score"> {r.score.toFixed(2)}</span>}
          {r.message && <span class="muted"> — {r.message}</span>}
          {r.details?.originalCommentId && props.storyUrl && (
            <>
              {" "}
              <a href={`${props.storyUrl}#comment-${r.details.originalCommentId}`} target="_blank" rel="noopener noreferrer">
                See the original{r.details.originalAuthor ? ` by ${r.details.originalAuthor}` : ""}
              </a>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

const fixed = (n: number | null) => (n === null ? "–" : n.toFixed(2));

/** What the bridging model makes of the comment's helpful ratings; shown only once it is scored. */
export function BridgingLine(props: { bridging: Bridging | null | undefined }) {
  const b = props.bridging;
  if (!b) return null;
  return (
    <p class="bridging muted">
      <strong>Helpfulness</strong>
      {b.badge && <span class="chip published">helpful badge</span>}{" "}
      <span title="The lower bound 'Most helpful' orders by">
        rank <span class="score">{fixed(b.rank)}</span>
      </span>{" "}
      ·{" "}
      <span title="Helpfulness readers on both sides see">
        intercept <span class="score">{fixed(b.intercept)}</span>
      </span>{" "}
      ·{" "}
      <span title="Which side finds it helpful; near 0 is across sides">
        factor <span class="score">{fixed(b.factor)}</span>
      </span>{" "}
      · {b.ratings} {b.ratings === 1 ? "rating" : "ratings"}
    </p>
  );
}

export function AuthorLine(props: { author: AuthorSummary; onOpen(): void }) {
  const { author } = props;
  return (
    <p class="author">
      <button type="button" class="link strong" onClick={props.onOpen} aria-label={`History of ${author.user.displayName}`}>
        {author.user.displayName}
      </button>
      {author.user.status !== "active" && <span class={`chip ${author.user.status}`}>{author.user.status}</span>}
      {author.user.premod && <span class="chip">pre-moderated</span>}
      <Tier entitlements={author.user.entitlements} />
      <span class="muted">
        {" "}
        account {author.accountAgeDays} d · {author.counts.published} published · {author.counts.pending} held ·{" "}
        {author.counts.rejected} rejected · {author.actions === 1 ? "1 action" : `${author.actions} actions`} on the account
      </span>
    </p>
  );
}

export function Card(props: {
  item: QueueItem;
  current: boolean;
  checked: boolean;
  onCheck(checked: boolean): void;
  onFocus(): void;
  onApprove(): void;
  onReject(): void;
  onAuthor(): void;
}) {
  const { item, current } = props;
  const { comment } = item;
  const spans = item.reasons.flatMap((r) => r.spans ?? []);
  const canDecide = comment.status === "pending" || comment.status === "published" || comment.status === "rejected";
  return (
    <article
      class={`card${current ? " current" : ""}`}
      id={`card-${comment.id}`}
      aria-current={current ? "true" : undefined}
      aria-label={`Comment by ${comment.author.displayName}`}
      tabIndex={-1}
      onFocusCapture={props.onFocus}
    >
      <header>
        <input
          type="checkbox"
          checked={props.checked}
          aria-label={`Select the comment by ${comment.author.displayName}`}
          onChange={(e) => props.onCheck((e.currentTarget as HTMLInputElement).checked)}
        />
        {item.author ? (
          <AuthorLine author={item.author} onOpen={props.onAuthor} />
        ) : (
          <p class="author">{comment.author.displayName}</p>
        )}
      </header>
      <p class="where muted">
        {item.story ? (
          <a href={item.story.url} target="_blank" rel="noopener noreferrer">
            {item.story.title}
          </a>
        ) : (
          "Unknown story"
        )}{" "}
        {item.story?.section && <> · in <a href={`${location.pathname}?section=${encodeURIComponent(item.story.section)}`} class="section">{item.story.section}</a>{" "}</>}
        · <time dateTime={comment.createdAt}>{ago(comment.createdAt)}</time> · <span class={`chip ${comment.status}`}>{comment.status}</span>
        {comment.featured && <span class="chip pick">editor's pick</span>}
        {item.story && <InContext story={item.story} comment={comment} parentId={item.parent?.id} />}
      </p>
      {item.parent && (
        <blockquote class="parent">
          <span class="muted">In reply to {item.parent.author.displayName}:</span>
          <div class="body" dangerouslySetInnerHTML={{ __html: item.parent.bodyHtml }} />
        </blockquote>
      )}
      <div class="body reader" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      <Reasons reasons={item.reasons} storyUrl={item.story?.url} />
      <BridgingLine bridging={item.bridging} />
      {spans.length > 0 && comment.body !== undefined && (
        <div class="spans">
          <span class="muted">Passages that drove the scores:</span>
          <Highlighted text={comment.body} spans={spans} />
        </div>
      )}
      {item.notices.length > 0 && (
        <section class="notices" aria-label={item.notices.length === 1 ? "A notice of illegal content" : `${item.notices.length} notices of illegal content`}>
          <h3>{item.notices.length === 1 ? "Notice of illegal content" : `${item.notices.length} notices of illegal content`}</h3>
          <ul>
            {item.notices.map((n) => (
              <li key={n.receivedAt + n.law}>
                <strong>{n.law}</strong> — {n.notifier ? `from ${n.notifier}` : "sent without an account"}
                {n.answered ? ", who gets the decision by e-mail" : ""}
                <blockquote>{n.explanation}</blockquote>
              </li>
            ))}
          </ul>
        </section>
      )}
      {item.reports.length > 0 && (
        <ul class="reports" aria-label={`${item.reports.length} reports`}>
          {item.reports.map((r) => (
            <li key={`${r.reporter.id}-${r.createdAt}`}>
              <strong>{r.reason}</strong> by {r.reporter.displayName}
              {r.note && <span> — “{r.note}”</span>}
            </li>
          ))}
        </ul>
      )}
      {canDecide && (
        <footer class="actions">
          {comment.status !== "published" && (
            <button type="button" class="approve" onClick={props.onApprove}>
              Approve <kbd>a</kbd>
            </button>
          )}
          {comment.status === "published" && item.reports.length + item.notices.length > 0 && (
            <button type="button" class="approve" onClick={props.onApprove}>
              Keep <kbd>a</kbd>
            </button>
          )}
          {comment.status !== "rejected" && (
            <button type="button" class="reject" onClick={props.onReject}>
              Reject <kbd>r</kbd>
            </button>
          )}
          <button type="button" onClick={props.onAuthor}>
            Author's history <kbd>u</kbd>
          </button>
        </footer>
      )}
    </article>
  );
}

/**
 * The comment where readers meet it: its own permalink once it is up; before that (or after a
 * rejection) the comment it answers, or the top of the thread.
 */
function InContext(props: { story: { url: string }; comment: { id: string; status: string }; parentId?: string }) {
  const { story, comment, parentId } = props;
  const shown = comment.status === "published";
  const anchor = shown ? `#comment-${comment.id}` : parentId ? `#comment-${parentId}` : "";
  return (
    <>
      {" "}
      ·{" "}
      <a href={story.url + anchor} target="_blank" rel="noopener noreferrer">
        {shown ? "See it in the thread" : parentId ? "See the comment it answers" : "See the thread"}
      </a>
    </>
  );
}

/** The reader's tier from their sign-in (subscriber, …), as a chip; nothing for readers without one. */
export function Tier({ entitlements }: { entitlements?: string[] }) {
  if (!entitlements?.length) return null;
  return (
    <span class="chip tier" title="From the reader's sign-in at the publisher">
      {entitlements.join(", ")}
    </span>
  );
}
