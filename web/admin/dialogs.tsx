import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { DECISION_REASONS, type DecisionReason } from "./types.js";

/** A native modal dialog: focus moves in on open and back on close; Escape closes it. */
export function Modal(props: { title: string; onClose(): void; children: ComponentChildren; class?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={props.class ?? "modal"}
      aria-labelledby="modal-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="modal-title">{props.title}</h2>
      {props.children}
    </dialog>
  );
}

const REASON_LABELS: Record<DecisionReason, string> = {
  offensive: "Offensive",
  abusive: "Abusive towards another reader",
  spam: "Spam or advertising",
  "hate-speech": "Hate speech",
  harassment: "Harassment or threat",
  misinformation: "Misinformation",
  "off-topic": "Off topic",
  "illegal-content": "Illegal content",
  other: "Other (say why)",
};

/** Rejecting asks for a reason: number keys pick one, Enter confirms, Escape cancels. */
export function RejectDialog(props: {
  count: number;
  onReject(reason: { code: DecisionReason; text?: string }): void;
  onClose(): void;
}) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>("input[type=radio]:checked")?.focus();
  }, []);
  const submit = (event?: Event) => {
    event?.preventDefault();
    const data = new FormData(form.current ?? undefined);
    const text = String(data.get("text") ?? "").trim();
    props.onReject({ code: String(data.get("code")) as DecisionReason, ...(text ? { text } : {}) });
  };
  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (target.tagName === "TEXTAREA") return;
    const n = Number(event.key);
    if (n >= 1 && n <= DECISION_REASONS.length) {
      const radio = form.current?.querySelectorAll<HTMLInputElement>("input[type=radio]")[n - 1];
      if (radio) {
        radio.checked = true;
        radio.focus();
        event.preventDefault();
      }
    } else if (event.key === "Enter" && target.tagName !== "BUTTON") {
      event.preventDefault();
      submit();
    }
  };
  const title = props.count > 1 ? `Reject ${props.count} comments` : "Reject the comment";
  return (
    <Modal title={title} onClose={props.onClose}>
      <form ref={form} onSubmit={submit} onKeyDown={onKey}>
        <fieldset>
          <legend>Reason (keys 1–{DECISION_REASONS.length})</legend>
          {DECISION_REASONS.map((code, i) => (
            <label key={code} class="radio">
              <input type="radio" name="code" value={code} defaultChecked={i === 0} /> <kbd>{i + 1}</kbd>{" "}
              {REASON_LABELS[code]}
            </label>
          ))}
        </fieldset>
        <label>
          Note for the log (optional)
          <textarea name="text" rows={2} maxLength={1000} />
        </label>
        <div class="buttons">
          <button type="submit" class="reject">
            Reject
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

export const KEYS: [string, string][] = [
  ["j / k", "Next / previous comment"],
  ["a", "Approve (or keep a reported comment)"],
  ["r", "Reject with a reason"],
  ["u", "Open the author's history"],
  ["x", "Select for a bulk decision"],
  ["f", "Feature as an editor's pick, or stop featuring"],
  ["Shift + a / Shift + r", "Approve / reject the selected comments"],
  ["z", "Undo the last decision"],
  ["?", "Show these keys"],
  ["Esc", "Close a dialog or the drawer"],
];

export function HelpDialog(props: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={props.onClose}>
      <dl class="keys">
        {KEYS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div class="buttons">
        <button type="button" onClick={props.onClose} autoFocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
