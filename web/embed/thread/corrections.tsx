import { useState } from "preact/hooks";
import type { Translate } from "../../shared/messages.js";
import { type Request, ApiError, newKey } from "../../shared/http.js";
import { suggestCorrection } from "../../shared/endpoints.js";
import type { StoryCorrection } from "../../../src/shared/corrections.js";

export type { StoryCorrection };

const day = (iso: string, lang: string) =>
  new Date(iso).toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });

/** The newsroom's corrections, dated, above the thread. */
export function CorrectionsBlock({ t, lang, items }: { t: Translate; lang: string; items: StoryCorrection[] }) {
  if (items.length === 0) return null;
  return (
    <section class="p-corrections" aria-labelledby="p-corrections-title">
      <h3 class="p-corrections-title" id="p-corrections-title">
        {t("corrections")}
      </h3>
      <ol>
        {items.map((c) => (
          <li key={c.id} class="p-correction">
            <strong>
              <time dateTime={c.acceptedAt}>{t("correctionOn", { date: day(c.acceptedAt, lang) })}</time>:
            </strong>{" "}
            {c.note}
            {c.quote && <blockquote class="p-correction-quote">{c.quote.text}</blockquote>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The article's own corrections block, when the page has one for this story (Parley's article pages). */
export const pageBlock = (storyId: string): HTMLElement | null =>
  document.querySelector<HTMLElement>(`[data-parley-corrections="${CSS.escape(storyId)}"]`);

/** Adds a correction accepted while the page is open to the article's own block (text only, never HTML). */
export function addToPage(block: HTMLElement, c: StoryCorrection, t: Translate, lang: string): void {
  const list = block.querySelector("ol");
  if (!list || list.querySelector(`[data-id="${CSS.escape(c.id)}"]`)) return;
  const item = document.createElement("li");
  item.dataset.id = c.id;
  const head = item.appendChild(document.createElement("strong"));
  const time = head.appendChild(document.createElement("time"));
  time.dateTime = c.acceptedAt;
  time.textContent = `${t("correctionOn", { date: day(c.acceptedAt, lang) })}:`;
  item.append(" ", c.note);
  if (c.quote) item.appendChild(document.createElement("blockquote")).textContent = c.quote.text;
  list.appendChild(item);
  block.hidden = false;
}

/** "Suggest a correction": the passage, what is wrong, the evidence; sent to the newsroom's queue. */
export function SuggestCorrection(props: {
  t: Translate;
  request: Request;
  storyId: string;
  signedIn: boolean;
  passage: string;
  onSignIn: () => void;
  announce: (text: string) => void;
}) {
  const { t } = props;
  const [open, setOpen] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newKey);
  if (!open) {
    return (
      <button
        type="button"
        class="p-action p-suggest"
        onClick={() => (props.signedIn ? setOpen(true) : props.onSignIn())}
      >
        {props.signedIn ? t("suggestCorrection") : t("correctionSignIn")}
      </button>
    );
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const passage = text("passage");
    const evidence = text("evidence");
    setBusy(true);
    setError("");
    try {
      await suggestCorrection(
        props.request,
        props.storyId,
        {
          body: text("body"),
          ...(passage ? { quote: { text: passage } } : {}),
          ...(evidence ? { evidenceUrl: evidence } : {}),
        },
        key,
      );
      setOpen(false);
      setKey(newKey());
      props.announce(t("correctionSent"));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="p-suggest-form" onSubmit={(e) => void submit(e)} aria-label={t("suggestCorrection")}>
      <label>
        {t("correctionPassage")}
        <textarea name="passage" rows={2} maxLength={1000} defaultValue={props.passage} />
      </label>
      <label>
        {t("correctionBody")}
        <textarea name="body" rows={3} required maxLength={5000} />
      </label>
      <label>
        {t("correctionEvidence")}
        <input name="evidence" type="url" inputMode="url" placeholder="https://" maxLength={2000} />
      </label>
      <p class="p-error" role="alert">
        {error}
      </p>
      <div class="p-row">
        <button type="submit" class="p-btn p-primary" disabled={busy}>
          {t("correctionSend")}
        </button>
        <button type="button" class="p-btn" onClick={() => setOpen(false)}>
          {t("correctionCancel")}
        </button>
      </div>
    </form>
  );
}
