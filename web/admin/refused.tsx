import { useEffect, useState } from "preact/hooks";
import type { RefusedOrigin as Refused, Site } from "../../src/shared/sites.js";
import { changeSite, refusedOrigins } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import { ago } from "./words.js";


/**
 * Origins whose pages recently tried to show a thread and were refused: the first thing a
 * publisher trying the snippet runs into, so allowing one is a single click here.
 */
export function RefusedOrigins({ sites, onAllowed }: { sites: Site[]; onAllowed: (text: string) => void }) {
  const [items, setItems] = useState<Refused[] | null>(null);
  const [error, setError] = useState("");
  const [siteId, setSiteId] = useState("default");
  const load = () =>
    refusedOrigins(desk).then(
      (r) => setItems(r.items),
      (e: ApiError) => setError(e.message),
    );
  useEffect(() => void load(), [sites]);

  const allow = async (origin: string) => {
    const site = sites.find((s) => s.id === siteId) ?? sites[0];
    if (!site) return;
    try {
      await changeSite(desk, site.id, { origins: [...site.origins, origin] });
      onAllowed(`${origin} may now show comments of ${site.name}. The change is recorded in the audit log.`);
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!items) return <p aria-busy="true">Loading refused origins…</p>;
  return (
    <section aria-labelledby="refused-title" class="refused">
      <h3 id="refused-title">Recently refused</h3>
      {items.length === 0 ? (
        <p class="muted">No page on another origin has been refused lately.</p>
      ) : (
        <>
          <p class="muted">Pages on these origins tried to show comments and got a message instead.</p>
          {sites.length > 1 && (
            <label>
              Allow for site{" "}
              <select value={siteId} onChange={(e) => setSiteId((e.currentTarget as HTMLSelectElement).value)}>
                {sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <ul class="refused-list">
            {items.map((item) => (
              <li key={item.origin}>
                <strong>{item.origin}</strong>{" "}
                <span class="muted">
                  {item.attempts === 1 ? "refused" : `refused ${item.attempts} times, last`}{" "}
                  <time dateTime={item.lastSeenAt} title={item.lastSeenAt}>
                    {ago(item.lastSeenAt)}
                  </time>
                  {item.pageUrl && <> · asked for {item.pageUrl}</>}
                </span>{" "}
                <button type="button" onClick={() => allow(item.origin)}>
                  Allow {item.origin}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
