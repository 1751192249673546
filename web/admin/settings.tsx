import { useEffect, useState } from "preact/hooks";
import { type ApiError, api, query } from "./api.js";
import { Integrations } from "./integrations.js";
import { SettingField } from "./fields.js";
import { policyPatch } from "./policy.js";
import type { Policy } from "../../src/policy/schema.js";
import { RefusedOrigins } from "./refused.js";

type Json = Record<string, unknown>;
interface Site { id: string; name: string; origins: string[] }

/** Admin settings: sites and their origins, then the site's moderation settings, validated by the server. */
export function Settings() {
  const [sites, setSites] = useState<Site[]>([]);
  const [siteId, setSiteId] = useState("default");
  const [saved, setSaved] = useState<Json | null>(null);
  const [draft, setDraft] = useState<Json | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const loadSites = () => api<{ items: Site[] }>("GET", "/api/v1/admin/sites").then((r) => setSites(r.items));
  useEffect(() => void loadSites(), []);
  useEffect(() => {
    setDraft(null);
    api<{ moderation: Json }>("GET", `/api/v1/admin/settings${query({ siteId })}`).then((r) => {
      setSaved(r.moderation);
      setDraft(structuredClone(r.moderation));
    }, (e: ApiError) => setMessage({ ok: false, text: e.message }));
  }, [siteId]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!draft || !saved) return;
    const patch = Object.fromEntries(Object.entries(draft).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(saved[k])));
    if (Object.keys(patch).length === 0) return setMessage({ ok: true, text: "Nothing changed." });
    if (patch.policy) patch.policy = policyPatch(saved.policy as Policy, draft.policy as Policy);
    try {
      const r = await api<{ moderation: Json }>("PATCH", `/api/v1/admin/settings${query({ siteId })}`, { moderation: patch });
      setSaved(r.moderation);
      setDraft(structuredClone(r.moderation));
      setMessage({ ok: true, text: "Saved. The change is recorded in the audit log." });
    } catch (e) {
      setMessage({ ok: false, text: (e as ApiError).message });
    }
  };

  const saveSite = async (event: Event, site?: Site) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const origins = String(f.get("origins") ?? "").split(/\s+/).filter(Boolean);
    const name = String(f.get("name") ?? "").trim();
    try {
      if (site) await api("PATCH", `/api/v1/admin/sites/${site.id}`, { name, origins });
      else await api("POST", "/api/v1/admin/sites", { id: String(f.get("id") ?? "").trim(), name, origins });
      setMessage({ ok: true, text: `Site ${site?.id ?? name} saved. The change is recorded in the audit log.` });
      await loadSites();
    } catch (e) {
      setMessage({ ok: false, text: (e as ApiError).message });
    }
  };

  return (
    <section aria-labelledby="settings-title" class="settings">
      <h1 id="settings-title">Settings</h1>
      {message && <p class={message.ok ? "ok" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
      <section aria-labelledby="sites" class="sites">
        <h2 id="sites">Sites</h2>
        <p class="muted">Pages on a site's allowed origins may show its comments (PARLEY_ALLOWED_ORIGINS adds to the default site).</p>
        <RefusedOrigins
          sites={sites}
          onAllowed={(text) => {
            setMessage({ ok: true, text });
            void loadSites();
          }}
        />
        {sites.map((site) => (
          <form key={`${site.id} ${site.origins.join(" ")}`} class="site" onSubmit={(e) => saveSite(e, site)}>
            <fieldset>
              <legend>{site.id}</legend>
              <label>Name <input name="name" defaultValue={site.name} required /></label>
              <label>Allowed origins, one per line <textarea name="origins" rows={Math.max(2, site.origins.length)} defaultValue={site.origins.join("\n")} /></label>
              <button type="submit">Save site {site.id}</button>
            </fieldset>
          </form>
        ))}
        <form class="site" onSubmit={(e) => saveSite(e)}>
          <fieldset>
            <legend>Add a site</legend>
            <label>Id (lower-case letters, digits, dashes) <input name="id" required pattern="[a-z0-9-]+" /></label>
            <label>Name <input name="name" required /></label>
            <label>Allowed origins, one per line <textarea name="origins" rows={2} /></label>
            <button type="submit">Add site</button>
          </fieldset>
        </form>
      </section>
      <h2>Moderation</h2>
      {sites.length > 1 && (
        <label>
          Settings of site
          <select value={siteId} onChange={(e) => setSiteId((e.currentTarget as HTMLSelectElement).value)}>
            {sites.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
      )}
      {!draft ? <p aria-busy="true">Loading…</p> : (
        <form onSubmit={save} class="moderation">
          {Object.entries(draft).map(([key, value]) => (
            <SettingField key={key} name={key} path={key} value={value} onChange={(v) => setDraft({ ...draft, [key]: v })} />
          ))}
          <button type="submit" class="primary">Save moderation settings</button>
        </form>
      )}
      <Integrations siteId={siteId} />
    </section>
  );
}
