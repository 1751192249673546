import { useState } from "preact/hooks";
import { type ApiError, api } from "./api.js";
import type { Me } from "./types.js";

/** Local sign-in; a session token from the publisher's SSO or an OIDC sign-in is accepted by the same route. */
export function SignIn(props: { refusal?: string; onSignedIn(user: Me, csrfToken: string): void }) {
  const [error, setError] = useState(props.refusal ?? "");
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError("");
    try {
      const { user, csrfToken } = await api<{ user: Me; csrfToken: string }>("POST", "/admin/session", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      props.onSignedIn(user, csrfToken);
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
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
      </form>
    </main>
  );
}
