import { useEffect, useRef, useState } from "preact/hooks";
import { actOnUser, noteOnUser, userHistory } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk as connection } from "./connection.js";
import { ago } from "./words.js";
import { Reasons, Tier } from "./card.js";
import type { AuditAction, DeskAbilities, History } from "./types.js";
import type { UserAction } from "../../src/shared/moderation.js";

type Action = UserAction;
const ACTIONS: { value: Action; label: string }[] = [
  { value: "warn", label: "Warn (they must acknowledge before posting)" },
  { value: "suspend", label: "Suspend for a while" },
  { value: "ban", label: "Ban" },
  { value: "premod", label: "Always pre-moderate" },
  { value: "clear", label: "Clear: back to good standing" },
];
/** A moderator of some sites acts there only: a ban from their site, or lifting it. */
const SITE_ACTIONS: { value: Action; label: string }[] = [
  { value: "ban", label: "Ban from the site" },
  { value: "clear", label: "Lift the ban from the site" },
];
const DAY = 24 * 3600 * 1000;
/** What a ban or a suspension also does to the author's comments that are up or waiting. */
type Sweep = "none" | "all" | "story";
const plural = (n: number) => `${n} comment${n === 1 ? "" : "s"}`;

/** The author's history beside the queue: standing, comments, past actions and notes, and the actions to take. */
export function Drawer(props: { userId: string; storyId?: string; desk: DeskAbilities; onClose(): void }) {
  const { desk } = props;
  const actions = desk.everySite ? ACTIONS : SITE_ACTIONS;
  const [history, setHistory] = useState<History | null>(null);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");
  const [action, setAction] = useState<Action>(actions[0].value);
  const [sweep, setSweep] = useState<Sweep>("none");
  // A moderator of several (not all) sites says which site a ban or a note is for.
  const choosesSite = !desk.everySite && desk.sites.length > 1;
  const [siteId, setSiteId] = useState(choosesSite ? desk.sites[0].id : "");
  const heading = useRef<HTMLHeadingElement>(null);
  const load = () =>
    userHistory(connection, props.userId, { limit: 50, storyId: props.storyId }).then(
      setHistory,
      (e: ApiError) => setError(e.message),
    );

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    void load();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && props.onClose();
    addEventListener("keydown", onKey);
    return () => {
      removeEventListener("keydown", onKey);
      opener?.focus();
    };
  }, [props.userId]);
  useEffect(() => heading.current?.focus(), [history !== null]);

  const act = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const message = String(form.get("message") ?? "").trim();
    const days = Number(form.get("days") ?? 1);
    setError("");
    try {
      const sweeping = (action === "ban" || action === "suspend") && sweep !== "none";
      const result = await actOnUser(connection, props.userId, {
        action,
        ...(message ? { message } : {}),
        ...(siteId ? { siteId } : {}),
        ...(action === "suspend" ? { until: new Date(Date.now() + days * DAY).toISOString() } : {}),
        ...(sweeping ? { rejectComments: sweep === "story" ? { storyId: props.storyId } : {} } : {}),
      });
      const label = actions.find((a) => a.value === action)?.label.split(" (")[0].split(":")[0];
      setDone(`${label}: done.${sweeping ? ` ${plural(result.rejectedComments)} rejected.` : ""}`);
      setSweep("none");
      await load();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  const note = async (event: Event) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const body = String(new FormData(formEl).get("note") ?? "").trim();
    if (!body) return;
    try {
      await noteOnUser(connection, props.userId, body, siteId);
      formEl.reset();
      setDone("Note added.");
      await load();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  const a = history?.author;
  return (
    <div class="scrim" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="drawer" role="dialog" aria-modal="true" aria-labelledby="drawer-title">
        <header>
          <h2 id="drawer-title" ref={heading} tabIndex={-1}>
            {a ? `${a.user.displayName}'s history` : "Author's history"}
          </h2>
          <button type="button" onClick={props.onClose} aria-label="Close the history">
            ✕
          </button>
        </header>
        {error && <p class="error" role="alert">{error}</p>}
        <p class="sr-only" aria-live="polite">{done}</p>
        {!history ? (
          <p aria-busy="true">Loading…</p>
        ) : (
          <>
            {a && (
              <p>
                <span class={`chip ${a.user.status}`}>{a.user.status}</span>
                {a.user.premod && <span class="chip">pre-moderated</span>}
                <Tier entitlements={a.user.entitlements} /> Account {a.accountAgeDays} days old ·{" "}
                {a.counts.published} published · {a.counts.pending} held · {a.counts.rejected} rejected
                {a.user.suspendedUntil && <> · suspended until {new Date(a.user.suspendedUntil).toLocaleString()}</>}
              </p>
            )}
            {done && <p class="ok">{done}</p>}
            {choosesSite && (
              <label>
                For site
                <select value={siteId} onChange={(e) => setSiteId((e.currentTarget as HTMLSelectElement).value)}>
                  {desk.sites.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
                </select>
              </label>
            )}
            <form class="act" onSubmit={act}>
              <fieldset>
                <legend>Act on this author</legend>
                {actions.map((x) => (
                  <label key={x.value} class="radio">
                    <input type="radio" name="action" value={x.value} checked={action === x.value} onChange={() => setAction(x.value)} /> {x.label}
                  </label>
                ))}
              </fieldset>
              {(action === "ban" || action === "suspend") && a && (
                <fieldset>
                  <legend>Their comments</legend>
                  <label class="radio">
                    <input type="radio" name="sweep" checked={sweep === "none"} onChange={() => setSweep("none")} /> Leave them as they are
                  </label>
                  <label class="radio">
                    <input type="radio" name="sweep" checked={sweep === "all"} onChange={() => setSweep("all")} /> Also reject their
                    published and held comments ({a.counts.published + a.counts.pending})
                  </label>
                  {history.onStory && (
                    <label class="radio">
                      <input type="radio" name="sweep" checked={sweep === "story"} onChange={() => setSweep("story")} /> …on “
                      {history.onStory.title}” only ({history.onStory.published + history.onStory.pending})
                    </label>
                  )}
                </fieldset>
              )}
              {action === "suspend" && (
                <label>
                  For
                  <select name="days">
                    <option value="1">1 day</option>
                    <option value="7">7 days</option>
                    <option value="30">30 days</option>
                  </select>
                </label>
              )}
              <label>
                Message {action === "warn" ? "shown to the author" : "for the log"}
                <textarea name="message" rows={2} maxLength={2000} required={action === "warn"} />
              </label>
              <button type="submit" class={action === "ban" || action === "suspend" ? "reject" : "primary"}>
                Apply
              </button>
            </form>
            <form class="note" onSubmit={note}>
              <label>
                Moderator note
                <textarea name="note" rows={2} maxLength={5000} />
              </label>
              <button type="submit">Add note</button>
            </form>
            <h3>Notes</h3>
            {history.notes.length === 0 ? <p class="muted">No notes.</p> : (
              <ul class="plain">{history.notes.map((n) => <li key={n.id}>{n.body} <span class="muted">· {ago(n.createdAt)}</span></li>)}</ul>
            )}
            <Actions title="Actions on the account" items={history.actions.filter((x) => x.targetType === "user")} />
            <Actions title="Decisions on their comments" items={history.actions.filter((x) => x.targetType === "comment")} />
            <h3>Comments</h3>
            <ul class="plain history">
              {history.comments.items.map(({ comment, reasons }) => (
                <li key={comment.id}>
                  <span class={`chip ${comment.status}`}>{comment.status}</span> <span class="muted">{ago(comment.createdAt)}</span>
                  <div class="body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
                  <Reasons reasons={reasons} />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

/** Past actions as sentences, with their count in the heading (the card's count is the first list's). */
function Actions(props: { title: string; items: AuditAction[] }) {
  return (
    <>
      <h3>
        {props.title} ({props.items.length})
      </h3>
      {props.items.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="plain">
          {props.items.map((x) => (
            <li key={x.id}>
              {x.summary}
              {x.reason?.text && <> “{x.reason.text}”</>} <span class="muted">· {ago(x.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
