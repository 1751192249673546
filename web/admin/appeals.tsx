import { useEffect, useState } from "preact/hooks";
import { appeals, decideAppeal } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import type { AppealQueueItem } from "../../src/shared/appeals.js";

type AppealItem = AppealQueueItem;

const day = (iso: string) => new Date(iso).toLocaleDateString();

/** The appeals queue (EU DSA Art. 20): the author's reasons against a decision, for a second moderator. */
export function Appeals() {
  const [items, setItems] = useState<AppealItem[] | null>(null);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");
  const load = () =>
    appeals(desk).then(
      (page) => setItems(page.items),
      (e: ApiError) => setError(e.message),
    );
  useEffect(() => void load(), []);

  const decide = async (item: AppealItem, action: "uphold" | "reverse", form: HTMLFormElement) => {
    const note = String(new FormData(form).get("note") ?? "").trim();
    if (!note) return setError("Write a note for the author first: it tells them why.");
    try {
      await decideAppeal(desk, item.appeal.id, action, note);
      setError("");
      setDone(`${action === "reverse" ? "Reversed" : "Upheld"}: ${item.authorName} has been told.`);
      await load();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  return (
    <section aria-labelledby="appeals-title">
      <h1 id="appeals-title">Appeals</h1>
      <p class="hint">Authors who disagree with a rejection or a removal. Someone other than the moderator who decided answers each one.</p>
      {error && <p role="alert" class="error">{error}</p>}
      {done && <p role="status">{done}</p>}
      {items === null ? (
        <p aria-busy="true">Loading the appeals…</p>
      ) : items.length === 0 ? (
        <p>No appeals are waiting.</p>
      ) : (
        <ul class="appeals">
          {items.map((item) => (
            <li key={item.appeal.id} class="appeal">
              <h2>
                {item.authorName} appeals on {item.storyTitle ? `“${item.storyTitle}”` : "a story"}
              </h2>
              <blockquote>{item.commentBody ?? "The comment has been deleted."}</blockquote>
              <p>
                {item.decidedByName ? `${item.decidedByName} ` : "Automated means "}
                {item.decision.action === "remove" ? "removed" : "rejected"} it on {day(item.decision.decidedAt)}
                {item.decision.ground === "illegal" ? ` as illegal content (${item.decision.law ?? "law not named"})` : " under the community rules"}
                {item.decision.automated && item.decidedByName ? ", after automated means flagged it" : ""}.
              </p>
              <p>
                <strong>The author says:</strong> {item.appeal.explanation}
              </p>
              {item.canDecide ? (
                <form onSubmit={(e) => e.preventDefault()}>
                  <label>
                    Note for the author
                    <textarea name="note" rows={2} maxLength={2000} required />
                  </label>
                  <button type="button" onClick={(e) => void decide(item, "reverse", (e.currentTarget as HTMLButtonElement).form!)}>
                    Reverse and publish again
                  </button>{" "}
                  <button type="button" onClick={(e) => void decide(item, "uphold", (e.currentTarget as HTMLButtonElement).form!)}>
                    Uphold the decision
                  </button>
                </form>
              ) : (
                <p class="hint">You made this decision, so another moderator decides the appeal.</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
