import { useEffect, useState } from "preact/hooks";
import type { MaskedAccountSettings, SiteNotificationSettings } from "../../src/shared/settings.js";
import { oidcProviders, siteSettings } from "../shared/endpoints.js";
import { desk } from "./connection.js";
import { type Note, Outcome, failed } from "./outcome.js";
import { Webhooks } from "./webhooks.js";

type Accounts = MaskedAccountSettings;
type Emails = SiteNotificationSettings["emails"];
const EMAILS: [keyof Emails, string][] = [
  ["replies", "Replies to a reader's comment"],
  ["mentions", "Mentions"],
  ["moderation", "Moderation decisions on a reader's comment"],
  ["follows", "New comments on followed stories"],
];

const SAVED: Note = { ok: true, text: "Saved. The change is recorded in the audit log." };

/**
 * Publisher SSO keys and sign-in policy. Secrets arrive masked; a kept secret goes back as
 * its kid alone, which tells the server to keep what it stores, so no secret is re-sent.
 */
function AccountsSection(props: { siteId: string }) {
  const [accounts, setAccounts] = useState<Accounts | null>(null);
  const [providers, setProviders] = useState<{ name: string; label: string }[]>([]);
  const [note, setNote] = useState<Note>(null);
  useEffect(() => {
    setAccounts(null);
    siteSettings(desk, "accounts-settings", props.siteId).then((r) => setAccounts(r.accounts), (e) => setNote(failed(e)));
    oidcProviders(desk).then((r) => setProviders(r.items), () => undefined);
  }, [props.siteId]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!accounts) return;
    const form = event.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const kept = accounts.sso.secrets.filter((s) => !f.has(`drop-${s.kid}`)).map((s) => ({ kid: s.kid }));
    const kid = String(f.get("kid") ?? "").trim();
    const secret = String(f.get("secret") ?? "");
    const jwks = String(f.get("jwksUrl") ?? "").trim();
    const loginUrl = String(f.get("loginUrl") ?? "").trim();
    const patch = {
      sso: {
        secrets: kid || secret ? [...kept, { kid, secret }] : kept,
        jwksUrl: jwks || null,
        allowRoles: f.has("allowRoles"),
        loginUrl: loginUrl || null,
      },
      requireVerifiedEmail: f.has("requireVerifiedEmail"),
      deletion: String(f.get("deletion")),
      gravatar: f.has("gravatar"),
    };
    try {
      const r = await siteSettings(desk, "accounts-settings", props.siteId, { accounts: patch });
      setAccounts(r.accounts);
      form.reset();
      setNote(SAVED);
    } catch (e) {
      setNote(failed(e));
    }
  };

  return (
    <section class="integration" aria-labelledby="int-accounts">
      <h3 id="int-accounts">Sign-in: publisher SSO and OpenID Connect</h3>
      <Outcome note={note} />
      {!accounts ? <p aria-busy="true">Loading…</p> : (
        <form onSubmit={save} key={JSON.stringify(accounts)}>
          <fieldset>
            <legend>Publisher SSO</legend>
            {accounts.sso.secrets.length === 0 && <p class="muted">No signing secret yet.</p>}
            {accounts.sso.secrets.map((s) => (
              <label key={s.kid}>
                <input type="checkbox" name={`drop-${s.kid}`} /> Remove secret <span class="mono">{s.kid}</span> <span class="mono muted">{s.secret}</span>
              </label>
            ))}
            <label>New secret's key id (kid) <input name="kid" autocomplete="off" /></label>
            <label>New secret (HS256, at least 32 characters) <input name="secret" type="password" autocomplete="new-password" /></label>
            <label>JWKS URL (for RS256/ES256 tokens) <input name="jwksUrl" type="url" defaultValue={accounts.sso.jwksUrl ?? ""} /></label>
            <label><input type="checkbox" name="allowRoles" defaultChecked={accounts.sso.allowRoles} /> A token's role claim may make its user a moderator or admin</label>
            <label>
              Publisher sign-in page for moderators (optional; it returns to Parley's /auth/popup#sso=…)
              <input name="loginUrl" type="url" defaultValue={accounts.sso.loginUrl ?? ""} placeholder="https://news.example/login/parley" />
            </label>
          </fieldset>
          <fieldset>
            <legend>Accounts</legend>
            <label><input type="checkbox" name="requireVerifiedEmail" defaultChecked={accounts.requireVerifiedEmail} /> Posting needs a verified e-mail (local accounts)</label>
            <label><input type="checkbox" name="gravatar" defaultChecked={accounts.gravatar} /> Show Gravatar pictures</label>
            <label>
              A deleted account's comments
              <select name="deletion" defaultValue={accounts.deletion}>
                <option value="anonymize">stay, without the name</option>
                <option value="remove">are removed</option>
              </select>
            </label>
          </fieldset>
          <button type="submit">Save sign-in settings</button>
        </form>
      )}
      <h4>OpenID Connect providers</h4>
      {providers.length === 0 ? <p class="muted">None. Providers are set in PARLEY_OIDC_PROVIDERS on the server.</p> : (
        <ul>{providers.map((p) => <li key={p.name}>{p.label} <span class="mono muted">{p.name}</span></li>)}</ul>
      )}
    </section>
  );
}

/** Which e-mails the site sends at all; readers choose among these in their own settings. */
function EmailSection(props: { siteId: string }) {
  const [emails, setEmails] = useState<Emails | null>(null);
  const [note, setNote] = useState<Note>(null);
  useEffect(() => {
    setEmails(null);
    siteSettings(desk, "notification-settings", props.siteId).then((r) => setEmails(r.notifications.emails), (e) => setNote(failed(e)));
  }, [props.siteId]);
  const save = async (event: Event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const next = Object.fromEntries(EMAILS.map(([k]) => [k, f.has(k)]));
    try {
      const r = await siteSettings(desk, "notification-settings", props.siteId, { notifications: { emails: next } });
      setEmails(r.notifications.emails);
      setNote(SAVED);
    } catch (e) {
      setNote(failed(e));
    }
  };
  return (
    <section class="integration" aria-labelledby="int-email">
      <h3 id="int-email">E-mail notifications</h3>
      <Outcome note={note} />
      {!emails ? <p aria-busy="true">Loading…</p> : (
        <form onSubmit={save} key={JSON.stringify(emails)}>
          <fieldset>
            <legend>The site sends e-mail about</legend>
            {EMAILS.map(([k, label]) => <label key={k}><input type="checkbox" name={k} defaultChecked={emails[k]} /> {label}</label>)}
          </fieldset>
          <button type="submit">Save e-mail settings</button>
        </form>
      )}
    </section>
  );
}

export function Integrations(props: { siteId: string }) {
  return (
    <>
      <h2>Sign-in and delivery</h2>
      <AccountsSection siteId={props.siteId} />
      <EmailSection siteId={props.siteId} />
      <Webhooks siteId={props.siteId} />
    </>
  );
}
