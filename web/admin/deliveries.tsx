import { useEffect, useState } from "preact/hooks";
import type { Delivery } from "../../src/shared/notifications.js";
import { deliveries, replayDelivery } from "../shared/endpoints.js";
import { desk } from "./connection.js";
import { ago } from "./words.js";
import { type Note, Outcome, failed } from "./outcome.js";


/** What came back: the receiver's HTTP code, or why there was none (timeout, refused connection). */
const result = (d: Delivery) => {
  const ok = d.error === null && d.statusCode !== null && d.statusCode >= 200 && d.statusCode < 300;
  const text = d.statusCode !== null ? `HTTP ${d.statusCode}` : (d.error ?? "no answer");
  return { ok, text: ok ? `${text} delivered` : d.statusCode !== null ? `${text} failed` : `failed: ${text}` };
};

/**
 * One webhook's recent delivery attempts, newest first, each replayable: a replay sends the
 * same event id and body again (receivers dedupe on the id), so it is safe to press twice.
 */
export function Deliveries(props: { webhookId: string; url: string }) {
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [note, setNote] = useState<Note>(null);
  const load = () =>
    deliveries(desk, props.webhookId, 20).then(
      (r) => setItems(r.items),
      (e) => setNote(failed(e)),
    );
  useEffect(() => {
    setItems(null);
    void load();
  }, [props.webhookId]);

  const replay = async (d: Delivery) => {
    try {
      const r = await replayDelivery(desk, d.id);
      setNote({ ok: true, text: `Replay of ${d.eventType} queued (job ${r.jobId}); it appears here once sent.` });
      await load();
    } catch (e) {
      setNote(failed(e));
    }
  };

  return (
    <section class="deliveries" aria-label={`Recent deliveries to ${props.url}`}>
      <h4>Recent deliveries</h4>
      <Outcome note={note} />
      {!items ? <p aria-busy="true">Loading…</p> : items.length === 0 ? <p class="muted">Nothing sent yet.</p> : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Event</th><th scope="col">Result</th><th scope="col">Attempt</th><th scope="col">When</th><th scope="col"><span class="sr-only">Replay</span></th></tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const r = result(d);
                return (
                  <tr key={d.id}>
                    <td>{d.eventType}</td>
                    <td class={r.ok ? "ok" : "error"}>{r.text} <span class="muted">({d.durationMs} ms)</span></td>
                    <td>{d.attempt}</td>
                    <td><time dateTime={d.createdAt} title={d.createdAt}>{ago(d.createdAt)}</time></td>
                    <td>
                      <button type="button" aria-label={`Replay ${d.eventType} delivery ${d.id}`} onClick={() => void replay(d)}>Replay</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
