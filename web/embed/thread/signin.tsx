import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Session } from "../../shared/bridge.js";
import type { User } from "../../shared/types.js";
import { signIn, signUp, askReset } from "../../shared/endpoints.js";
import { ApiError, type Request } from "../../shared/http.js";
import { Ctx } from "./context.js";

let stopListening = () => undefined as void;

/**
 * Opens Parley's sign-in window (password, OIDC providers) and takes the session it posts
 * back: only from Parley's origin and only from that window, so no other frame or tab can
 * hand the widget a session. Returns false when the browser blocked the window.
 */
function signInByPopup(base: string, onSession: (s: Session) => void): boolean {
  stopListening();
  const popup = window.open(
    `${base}/auth/popup?origin=${encodeURIComponent(location.origin)}`,
    "parley-sign-in",
    "popup,width=480,height=640",
  );
  if (!popup) return false;
  const listener = (event: MessageEvent) => {
    if (event.origin !== base || event.source !== popup) return;
    const data = event.data as { type?: unknown; token?: unknown; user?: unknown } | null;
    if (
      data?.type !== "parley:session" ||
      typeof data.token !== "string" ||
      typeof data.user !== "object" ||
      !data.user
    )
      return;
    stopListening();
    onSession({ token: data.token, user: data.user as User });
  };
  window.addEventListener("message", listener);
  stopListening = () => window.removeEventListener("message", listener);
  return true;
}

/** Sign-in: Parley's window (any way the site offers), or the in-widget e-mail and password form; the session is kept per site. */
export function SignIn({
  base,
  request,
  onSession,
  onCancel,
}: {
  base: string;
  request: Request;
  onSession(s: Session): void;
  onCancel(): void;
}) {
  const { t } = useContext(Ctx);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), [creating]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const body = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
    setBusy(true);
    setError("");
    try {
      onSession(await (creating ? signUp : signIn)(request, body));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  if (resetting) return <Reset request={request} onBack={() => setResetting(false)} />;
  return (
    <form class="p-signin" onSubmit={submit} aria-labelledby="p-signin-title">
      <h3 class="p-title" id="p-signin-title">
        {creating ? t("signUp") : t("signIn")}
      </h3>
      {!creating && (
        <>
          <button
            type="button"
            class="p-btn"
            onClick={() => !signInByPopup(base, onSession) && setError(t("popupBlocked"))}
          >
            {t("signInPopup")}
          </button>
          <p class="p-help">{t("orWithEmail")}</p>
        </>
      )}
      {creating && (
        <>
          <label for="p-name">{t("displayName")}</label>
          <input
            id="p-name"
            ref={first}
            class="p-field"
            name="displayName"
            autoComplete="nickname"
            required
            maxLength={200}
          />
        </>
      )}
      <label for="p-email">{t("email")}</label>
      <input
        id="p-email"
        ref={creating ? undefined : first}
        class="p-field"
        name="email"
        type="email"
        autoComplete="email"
        required
      />
      <label for="p-password">{t("password")}</label>
      <input
        id="p-password"
        class="p-field"
        name="password"
        type="password"
        autoComplete={creating ? "new-password" : "current-password"}
        required
        minLength={creating ? 10 : undefined}
        aria-describedby={creating ? "p-password-rules" : undefined}
      />
      {creating ? (
        <p class="p-help" id="p-password-rules">
          {t("passwordRules")}
        </p>
      ) : (
        <button type="button" class="p-link" onClick={() => setResetting(true)}>
          {t("forgotPassword")}
        </button>
      )}
      <p class="p-error" role="alert">
        {error}
      </p>
      <div class="p-row">
        <button type="submit" class="p-btn p-primary" disabled={busy}>
          {creating ? t("signUp") : t("signIn")}
        </button>
        <button type="button" class="p-btn" onClick={() => setCreating(!creating)}>
          {creating ? t("haveAccount") : t("needAccount")}
        </button>
        <button type="button" class="p-action" onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

/** "Forgot your password?": mails a reset link (the same answer whether or not the address has an account). */
function Reset({ request, onBack }: { request: Request; onBack(): void }) {
  const { t } = useContext(Ctx);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState("");
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget as HTMLFormElement).get("email") ?? "");
    setError("");
    try {
      await askReset(request, email);
      setSent(true);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form class="p-signin" onSubmit={submit} aria-labelledby="p-reset-title">
      <h3 class="p-title" id="p-reset-title">
        {t("resetTitle")}
      </h3>
      {sent ? (
        <p role="status">{t("resetSent")}</p>
      ) : (
        <>
          <label for="p-reset-email">{t("email")}</label>
          <input
            id="p-reset-email"
            ref={first}
            class="p-field"
            name="email"
            type="email"
            autoComplete="email"
            required
          />
        </>
      )}
      <p class="p-error" role="alert">
        {error}
      </p>
      <div class="p-row">
        {!sent && (
          <button type="submit" class="p-btn p-primary">
            {t("resetSend")}
          </button>
        )}
        <button type="button" class="p-btn" onClick={onBack}>
          {t("backToSignIn")}
        </button>
      </div>
    </form>
  );
}
