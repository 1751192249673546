import { useEffect, useState } from "preact/hooks";
import { oidcProviders, openDeskSession, ssoLoginUrl } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import { oidcPath, popupPath, publisherLoginPath, signInInWindow } from "./popup.js";
import type { DeskAbilities, Me } from "./types.js";
import type { DeskSession } from "../../src/shared/moderation.js";

type Signed = DeskSession;

/**
 * The desk's sign-in: e-mail and password here, or the publisher's own login (SSO), an OpenID
 * Connect provider or Parley's sign-in window, whose session token `/admin/session` turns into the desk's cookie session.
 */
export function SignIn(props: { refusal?: string; onSignedIn(signed: Signed): void }) {
  const [error, setError] = useState(props.refusal ?? "");
  const [busy, setBusy] = useState(false);
  const [providers, setProviders] = useState<{ name: string; label: string }[]>([]);
  const [publisher, setPublisher] = useState<{ name: string; url: string } | null>(null);
  useEffect(() => {
    oidcProviders(desk).then(
      (r) => setProviders(r.items),
      () => setProviders([]),
    );
    // The default site's publisher login, if an admin set one (a public answer: no session yet).
    ssoLoginUrl(desk).then(
      (r) => setPublisher(r.loginUrl ? { name: r.siteName, url: r.loginUrl } : null),
      () => setPublisher(null),
    );
  }, []);

  const attempt = async (get: () => Promise<Signed>) => {
    setBusy(true);
    setError("");
    try {
      props.onSignedIn(await get());
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void attempt(() =>
      openDeskSession(desk, {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      }),
    );
  };
  const viaWindow = (path: string) =>
    void attempt(async () => openDeskSession(desk, { token: await signInInWindow(path) }));

  return (
    <main class="centre">
      <form class="signin" onSubmit={submit} aria-describedby={error ? "signin-error" : undefined}>
        <h1>Parley moderation</h1>
        <p>Sign in with your moderator or admin account.</p>
        <label>
          E-mail
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <div class="signin-other" role="group" aria-label="Other ways to sign in">
          {publisher && (
            <button type="button" disabled={busy} onClick={() => viaWindow(publisherLoginPath(publisher.url))}>
              Sign in with {publisher.name} account
            </button>
          )}
          {providers.map((p) => (
            <button key={p.name} type="button" disabled={busy} onClick={() => viaWindow(oidcPath(p.name))}>
              Sign in with {p.label}
            </button>
          ))}
          <button type="button" class="link" disabled={busy} onClick={() => viaWindow(popupPath())}>
            Sign in in a separate window
          </button>
        </div>
      </form>
    </main>
  );
}
