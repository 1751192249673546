import { useEffect, useState } from "preact/hooks";
import type { Webhook } from "../../src/shared/notifications.js";
import { EVENT_TYPES } from "../../src/shared/webhook-events.js";
import * as api from "../shared/endpoints.js";
import { desk } from "./connection.js";
import { Deliveries } from "./deliveries.js";
import { type Note, Outcome, failed } from "./outcome.js";

const EVENTS = ["*", ...EVENT_TYPES];

const eventsOf = (f: FormData) => EVENTS.filter((e) => f.has(`event:${e}`));

function EventBoxes(props: { chosen: string[] }) {
  return (
    <fieldset>
      <legend>Events</legend>
      {EVENTS.map((e) => (
        <label key={e} class="inline">
          <input type="checkbox" name={`event:${e}`} defaultChecked={props.chosen.includes(e)} /> {e === "*" ? "every event" : e}
        </label>
      ))}
    </fieldset>
  );
}

/** A site's webhooks: add, change, pause, remove, rotate signing secrets (each shown once, when made), see and replay deliveries. */
export function Webhooks(props: { siteId: string }) {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [note, setNote] = useState<Note>(null);
  const [fresh, setFresh] = useState<{ url: string; secret: string } | null>(null);
  const load = () =>
    api.webhooks(desk, props.siteId).then((r) => setHooks(r.items), (e) => setNote(failed(e)));
  useEffect(() => {
    setHooks(null);
    void load();
  }, [props.siteId]);

  const act = async (work: () => Promise<unknown>, text: string) => {
    setFresh(null);
    try {
      await work();
      setNote({ ok: true, text });
      await load();
    } catch (e) {
      setNote(failed(e));
    }
  };
  const add = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const url = String(f.get("url") ?? "").trim();
    void act(async () => {
      const r = await api.addWebhook(desk, { siteId: props.siteId, url, events: eventsOf(f) });
      form.reset();
      setFresh({ url, secret: r.secret.secret });
    }, "Webhook added.");
  };
  const change = (event: Event, hook: Webhook) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const body = { url: String(f.get("url") ?? "").trim(), events: eventsOf(f), active: f.has("active") };
    void act(() => api.changeWebhook(desk, hook.id, body), "Webhook saved.");
  };
  const rotate = (hook: Webhook) =>
    void act(async () => {
      const r = await api.addWebhookSecret(desk, hook.id);
      setFresh({ url: hook.url, secret: r.secret.secret });
    }, "Signing secret added; both secrets sign until you retire the old one.");

  return (
    <section class="integration" aria-labelledby="int-webhooks">
      <h3 id="int-webhooks">Webhooks</h3>
      <Outcome note={note} />
      {fresh && (
        <p role="status" class="fresh">
          Signing secret for {fresh.url}, shown this once: <code class="mono">{fresh.secret}</code>
        </p>
      )}
      {!hooks ? <p aria-busy="true">Loading…</p> : hooks.map((hook) => (
        <div key={hook.id} class="webhook">
          <form key={JSON.stringify(hook)} onSubmit={(e) => change(e, hook)}>
            <fieldset>
              <legend>{hook.url}</legend>
              <label>URL <input name="url" type="url" defaultValue={hook.url} required /></label>
              <EventBoxes chosen={hook.events} />
              <label><input type="checkbox" name="active" defaultChecked={hook.active} /> Active (unticked: paused)</label>
              <ul aria-label="Signing secrets">
                {hook.secrets.map((s) => (
                  <li key={s.id}>
                    <span class="mono">…{s.hint}</span> since {s.createdAt.slice(0, 10)}{" "}
                    {hook.secrets.length > 1 && (
                      <button type="button" class="link" onClick={() => void act(() => api.retireWebhookSecret(desk, hook.id, s.id), "Secret retired.")}>
                        Retire …{s.hint}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              <button type="submit">Save webhook</button>{" "}
              <button type="button" onClick={() => rotate(hook)}>Add a signing secret</button>{" "}
              <button type="button" onClick={() => void act(() => api.removeWebhook(desk, hook.id), "Webhook removed.")}>
                Remove webhook
              </button>
            </fieldset>
          </form>
          <Deliveries webhookId={hook.id} url={hook.url} />
        </div>
      ))}
      <form onSubmit={add}>
        <fieldset>
          <legend>Add a webhook</legend>
          <label>URL <input name="url" type="url" required placeholder="https://news.example/parley-hook" /></label>
          <EventBoxes chosen={[]} />
          <button type="submit">Add webhook</button>
        </fieldset>
      </form>
    </section>
  );
}
