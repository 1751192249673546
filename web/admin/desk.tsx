import { useEffect, useState } from "preact/hooks";
import { ApiError, api, setCsrf, whenSignedOut } from "./api.js";
import { Dashboard } from "./dashboard.js";
import { Log } from "./log.js";
import { QueueView } from "./queue.js";
import { onLink, useLocation } from "./router.js";
import { Settings } from "./settings.js";
import { SignIn } from "./signin.js";
import { Stories } from "./stories.js";
import type { Me } from "./types.js";

type Session = { state: "checking" } | { state: "out"; refusal?: string } | { state: "in"; user: Me };

export function Desk() {
  const [session, setSession] = useState<Session>({ state: "checking" });
  const { route, params } = useLocation();

  useEffect(() => {
    whenSignedOut(() => setSession({ state: "out", refusal: "Your session has ended; sign in again." }));
    api<{ user: Me; csrfToken: string }>("GET", "/admin/session").then(
      ({ user, csrfToken }) => {
        setCsrf(csrfToken);
        setSession({ state: "in", user });
      },
      (error: ApiError) =>
        setSession({ state: "out", refusal: error.status === 403 ? error.message : undefined }),
    );
  }, []);

  useEffect(() => {
    const names = { queue: "Queues", stories: "Stories", settings: "Settings", log: "Audit log", dashboard: "Dashboard" };
    document.title = `${names[route.view]} · Parley moderation`;
  }, [route.view]);

  if (session.state === "checking") return <main class="centre" aria-busy="true"><p>Checking your session…</p></main>;
  if (session.state === "out") {
    return (
      <SignIn
        refusal={session.refusal}
        onSignedIn={(user, csrfToken) => {
          setCsrf(csrfToken);
          setSession({ state: "in", user });
        }}
      />
    );
  }
  const admin = session.user.role === "admin";
  const signOut = async () => {
    await api("DELETE", "/admin/session").catch(() => undefined);
    setSession({ state: "out" });
  };
  const current = (view: string) => (route.view === view ? "page" : undefined);
  return (
    <div class="desk" onClick={onLink}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">Parley</span>
        <nav aria-label="Desk">
          <a href="/admin/queues/pending" aria-current={current("queue")}>Queues</a>
          <a href="/admin/stories" aria-current={current("stories")}>Stories</a>
          <a href="/admin/dashboard" aria-current={current("dashboard")}>Dashboard</a>
          <a href="/admin/log" aria-current={current("log")}>Audit log</a>
          {admin && <a href="/admin/settings" aria-current={current("settings")}>Settings</a>}
        </nav>
        <span class="who">
          {session.user.displayName} <span class="role">{session.user.role}</span>
          <button type="button" class="link" onClick={signOut}>Sign out</button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {route.view === "queue" && <QueueView queue={route.queue} params={params} />}
        {route.view === "stories" && <Stories />}
        {route.view === "dashboard" && <Dashboard />}
        {route.view === "log" && <Log />}
        {route.view === "settings" &&
          (admin ? <Settings /> : <p role="alert">Only admins change settings.</p>)}
      </main>
    </div>
  );
}
