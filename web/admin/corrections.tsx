import { useEffect, useState } from "preact/hooks";
import type { DeskCorrection } from "../../src/shared/corrections.js";
import { decideCorrection, deskCorrections } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import { ago } from "./words.js";
import type { Page } from "./types.js";

type Status = DeskCorrection["status"];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the reader's record says, in a sentence. */
function history(h: DeskCorrection["readerHistory"]): string {
  const parts = [plural(h.published, "published comment", "published comments")];
  if (h.held) parts.push(`${h.held} held`);
  if (h.rejected) parts.push(`${h.rejected} rejected`);
  if (h.correctionsAccepted)
    parts.push(plural(h.correctionsAccepted, "correction accepted before", "corrections accepted before"));
  return parts.join(", ");
}

/**
 * The Corrections queue: readers' suggested corrections, oldest first, those on the same passage
 * together; accept with the public correction or decline with a private reason.
 */
export function Corrections({ params }: { params: URLSearchParams }) {
  const [status, setStatus] = useState<Status>("open");
  const [page, setPage] = useState<Page<DeskCorrection> | null>(null);
  const [error, setError] = useState("");
  const [said, setSaid] = useState("");
  const storyId = params.get("story") ?? undefined;

  const load = (cursor?: string) =>
    deskCorrections(desk, { status, storyId, cursor }).then(
      (next) =>
        setPage((prev) =>
          cursor && prev ? { items: [...prev.items, ...next.items], nextCursor: next.nextCursor } : next,
        ),
      (e: ApiError) => setError(e.message),
    );
  useEffect(() => void load(), [status, storyId]);

  const decide = async (c: DeskCorrection, action: "accept" | "decline", note: string) => {
    setError("");
    try {
      await decideCorrection(desk, c.id, action, note);
      const together = c.group.size > 1 ? ` with ${c.group.size - 1} more on the same passage` : "";
      setSaid(
        action === "accept" ? `Correction published on ${c.storyTitle}${together}.` : `Suggestion declined${together}.`,
      );
      setPage((p) => p && { ...p, items: p.items.filter((i) => i.group.key !== c.group.key && i.id !== c.id) });
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  const groups: DeskCorrection[][] = [];
  for (const item of page?.items ?? []) {
    const last = groups.at(-1);
    if (last && last[0].group.key === item.group.key) last.push(item);
    else groups.push([item]);
  }

  return (
    <section aria-labelledby="corrections-title">
      <h1 id="corrections-title">Corrections</h1>
      <div class="filters" role="group" aria-label="Which suggestions">
        {(["open", "accepted", "declined"] as const).map((s) => (
          <button
            type="button"
            key={s}
            class={status === s ? "primary" : undefined}
            aria-pressed={status === s}
            onClick={() => setStatus(s)}
          >
            {s === "open" ? "To decide" : s === "accepted" ? "Accepted" : "Declined"}
          </button>
        ))}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="sr-only" aria-live="polite">
        {said}
      </p>
      {!page ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <div class="cards">
          {groups.map((group) => (
            <CorrectionCard key={group[0].id} group={group} onDecide={decide} />
          ))}
          {page.items.length === 0 && (
            <p class="empty">{status === "open" ? "No suggested corrections wait for a decision." : "None yet."}</p>
          )}
          {page.nextCursor && (
            <button type="button" onClick={() => load(page.nextCursor ?? undefined)}>
              Load more
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function CorrectionCard({
  group,
  onDecide,
}: {
  group: DeskCorrection[];
  onDecide: (c: DeskCorrection, action: "accept" | "decline", note: string) => Promise<void>;
}) {
  const first = group[0];
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const open = first.status === "open";
  return (
    <article class="card correction" aria-label={`Suggested correction on ${first.storyTitle}`}>
      <header>
        <strong>
          <a href={first.storyUrl} target="_blank" rel="noopener noreferrer">
            {first.storyTitle}
          </a>
        </strong>
        {group.length > 1 && <span class="tag">{group.length} readers on this passage</span>}
      </header>
      {first.quote && <blockquote class="passage">{first.quote.text}</blockquote>}
      {group.map((c) => (
        <div class="suggestion" key={c.id}>
          <p>
            <strong>{c.reader.displayName}</strong>{" "}
            <span class="muted">
              ({history(c.readerHistory)}) · {ago(c.createdAt)}
            </span>
            {c.held && (
              <span class="tag warn" title={c.reasons.join("; ")}>
                Held by moderation: {c.reasons.join("; ") || "review"}
              </span>
            )}
          </p>
          <p>{c.body}</p>
          {c.evidenceUrl && (
            <p>
              Evidence:{" "}
              <a href={c.evidenceUrl} target="_blank" rel="noopener noreferrer nofollow">
                {c.evidenceUrl}
              </a>
            </p>
          )}
        </div>
      ))}
      {first.note && (
        <p>
          <strong>Published correction:</strong> {first.note}
        </p>
      )}
      {first.declineReason && (
        <p>
          <strong>Declined:</strong> {first.declineReason}
        </p>
      )}
      {open && (
        <div class="decide">
          <label>
            Correction readers will see
            <textarea rows={2} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          <div class="actions">
            <button
              type="button"
              class="primary"
              disabled={note.trim() === ""}
              onClick={() => void onDecide(first, "accept", note)}
            >
              Publish correction
            </button>
          </div>
          <label>
            Or decline, with a reason for the newsroom only
            <input value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <div class="actions">
            <button type="button" onClick={() => void onDecide(first, "decline", reason)}>
              Decline
            </button>
          </div>
        </div>
      )}
    </article>
  );
}
