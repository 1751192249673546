import { useEffect, useState } from "preact/hooks";
import { ApiError, api, setCsrf, whenSignedOut } from "./api.js";
import { Appeals } from "./appeals.js";
import { Dashboard } from "./dashboard.js";
import { Log } from "./log.js";
import { QueueView } from "./queue.js";
import { onLink, useLocation } from "./router.js";
import { Settings } from "./settings.js";
import { SignIn } from "./signin.js";
import { Stories } from "./stories.js";
import type { DeskAbilities, Me } from "./types.js";

type Signed = { user: Me; csrfToken: string; desk: DeskAbilities };
type Session = { state: "checking" } | { state: "out"; refusal?: string } | { state: "in"; user: Me; desk: DeskAbilities };

export function Desk() {
  const [session, setSession] = useState<Session>({ state: "checking" });
  const { route, params } = useLocation();

  useEffect(() => {
    whenSignedOut(() => setSession({ state: "out", refusal: "Your session has ended; sign in again." }));
    api<Signed>("GET", "/admin/session").then(
      ({ user, csrfToken, desk }) => {
        setCsrf(csrfToken);
        setSession({ state: "in", user, desk });
      },
      (error: ApiError) =>
        setSession({ state: "out", refusal: error.status === 403 ? error.message : undefined }),
    );
  }, []);

  useEffect(() => {
    const names = { queue: "Queues", stories: "Stories", settings: "Settings", log: "Audit log", dashboard: "Dashboard", appeals: "Appeals" };
    document.title = `${names[route.view]} · Parley moderation`;
  }, [route.view]);

  if (session.state === "checking") return <main class="centre" aria-busy="true"><p>Checking your session…</p></main>;
  if (session.state === "out") {
    return (
      <SignIn
        refusal={session.refusal}
        onSignedIn={({ user, csrfToken, desk }) => {
          setCsrf(csrfToken);
          setSession({ state: "in", user, desk });
        }}
      />
    );
  }
  const { desk } = session;
  // The settings view edits sites and every site's settings: for admins of the whole installation.
  const admin = desk.manageSites;
  const role = desk.everySite ? session.user.role : `moderator of ${desk.sites.map((s) => s.name).join(", ")}`;
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
          <a href="/admin/appeals" aria-current={current("appeals")}>Appeals</a>
          <a href="/admin/log" aria-current={current("log")}>Audit log</a>
          {admin && <a href="/admin/settings" aria-current={current("settings")}>Settings</a>}
        </nav>
        <span class="who">
          {session.user.displayName} <span class="role">{role}</span>
          <button type="button" class="link" onClick={signOut}>Sign out</button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {route.view === "queue" && <QueueView queue={route.queue} params={params} desk={desk} />}
        {route.view === "stories" && <Stories />}
        {route.view === "dashboard" && <Dashboard />}
        {route.view === "appeals" && <Appeals />}
        {route.view === "log" && <Log />}
        {route.view === "settings" &&
          (admin ? <Settings /> : <p role="alert">Only admins change settings.</p>)}
      </main>
    </div>
  );
}
