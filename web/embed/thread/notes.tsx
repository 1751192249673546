/**
 * Reader context notes on the article (issue 20 item 4): "Readers added context" shows the notes
 * the bridging model found helpful across readers who usually disagree; readers who may rate see
 * the notes waiting for ratings; readers with enough history add one.
 */
import { useEffect, useState } from "preact/hooks";
import type { Translate } from "../../shared/messages.js";
import type { ContextNote as Note, NoteRating as Rating } from "../../../src/shared/notes.js";
import { rateNote, storyNotes, writeNote } from "../../shared/endpoints.js";
import type { Request } from "../../shared/http.js";

const RATINGS: [Rating, "noteHelpful" | "noteSomewhat" | "noteNotHelpful"][] = [
  ["helpful", "noteHelpful"],
  ["somewhat_helpful", "noteSomewhat"],
  ["not_helpful", "noteNotHelpful"],
];

// Sources are checked as http(s) addresses by the server.
const host = (url: string) => new URL(url).hostname;

function NoteBody({ note, t }: { note: Note; t: Translate }) {
  return (
    <>
      {note.quote && <blockquote class="p-ctx-quote">{note.quote.text}</blockquote>}
      <p class="p-ctx-body">{note.body}</p>
      <p class="p-ctx-sources">
        {t("noteSources")}{" "}
        {note.sources.map((s) => (
          <a href={s} rel="nofollow ugc">
            {host(s)}
          </a>
        ))}
      </p>
    </>
  );
}

export function ContextNotes(props: { t: Translate; request: Request; storyId: string; signedIn: boolean; tick: number }) {
  const { t, request, storyId, signedIn } = props;
  const [shown, setShown] = useState<Note[]>([]);
  const [pending, setPending] = useState<Note[]>([]);
  const [writing, setWriting] = useState(false);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");

  const load = () =>
    storyNotes(request, storyId)
      .then((r) => {
        setShown(r.shown);
        setPending(r.pending);
      })
      .catch(() => undefined);
  useEffect(() => void load(), [signedIn, props.tick]);

  const rate = async (note: Note, value: Rating) => {
    try {
      await rateNote(request, note.id, value);
      setPending((list) => list.map((n) => (n.id === note.id ? { ...n, viewerRating: value } : n)));
      setError("");
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const submit = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const quote = String(data.get("quote") ?? "").trim();
    const body = {
      body: String(data.get("body") ?? ""),
      sources: String(data.get("sources") ?? "")
        .split(/\s+/)
        .filter(Boolean),
      ...(quote ? { quote: { text: quote } } : {}),
    };
    try {
      const res = await writeNote(request, storyId, body, crypto.randomUUID());
      setWriting(false);
      setError("");
      setMessage(res.note.moderation === "pending" ? t("noteHeld") : t("noteAdded"));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (shown.length === 0 && pending.length === 0 && !signedIn) return null;
  return (
    <section class="p-ctx" aria-label={t("notesTitle")}>
      {shown.length > 0 && (
        <>
          <h3 class="p-ctx-title">
            {t("notesTitle")}
          </h3>
          <ul class="p-ctx-list">
            {shown.map((n) => (
              <li key={n.id} class="p-ctx-note">
                <NoteBody note={n} t={t} />
              </li>
            ))}
          </ul>
          <p class="p-help">{t("notesExplained")}</p>
        </>
      )}
      {pending.length > 0 && (
        <details class="p-ctx-pending">
          <summary>{t("notesToRate", { n: pending.length })}</summary>
          <ul class="p-ctx-list">
            {pending.map((n) => (
              <li key={n.id} class="p-ctx-note">
                <NoteBody note={n} t={t} />
                <div class="p-ctx-rate" role="group" aria-label={t("noteRateLabel")}>
                  {RATINGS.map(([value, key]) => (
                    <button
                      key={value}
                      type="button"
                      class="p-btn"
                      aria-pressed={n.viewerRating === value}
                      onClick={() => void rate(n, value)}
                    >
                      {t(key)}
                    </button>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        </details>
      )}
      {signedIn &&
        (writing ? (
          <form
            class="p-ctx-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit(e.currentTarget);
            }}
          >
            <label>
              {t("noteBodyLabel")}
              <textarea class="p-field" name="body" required maxLength={1000} rows={3} />
            </label>
            <label>
              {t("noteQuoteLabel")}
              <input class="p-field" name="quote" maxLength={1000} />
            </label>
            <label>
              {t("noteSourcesLabel")}
              <textarea class="p-field" name="sources" required rows={2} placeholder="https://" />
            </label>
            <div class="p-actions">
              <button type="submit" class="p-btn p-primary">
                {t("noteSubmit")}
              </button>
              <button type="button" class="p-btn" onClick={() => setWriting(false)}>
                {t("cancel")}
              </button>
            </div>
          </form>
        ) : (
          <button type="button" class="p-more" onClick={() => setWriting(true)}>
            {t("noteAdd")}
          </button>
        ))}
      <p class="p-help" role="status">
        {message}
      </p>
      {error && (
        <p class="p-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
