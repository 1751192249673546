import { useEffect, useState } from "preact/hooks";
import { ApiError, api, setCsrf, whenSignedOut } from "./api.js";
import { Corrections } from "./corrections.js";
import { Questions } from "./questions.js";
import { Appeals } from "./appeals.js";
import { Dashboard } from "./dashboard.js";
import { Log } from "./log.js";
import { QueueView } from "./queue.js";
import { onLink, useLocation } from "./router.js";
import { Settings } from "./settings.js";
import { Team } from "./team.js";
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
    const names = { queue: "Queues", stories: "Stories", settings: "Settings", log: "Audit log", dashboard: "Dashboard", corrections: "Corrections", questions: "Questions", appeals: "Appeals", team: "Team" };
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
  const role = desk.newsroomOnly ? "newsroom" : desk.everySite ? session.user.role : `moderator of ${desk.sites.map((s) => s.name).join(", ")}`;
  // The newsroom without moderation rights works on corrections only.
  const view = desk.newsroomOnly && route.view !== "questions" ? "corrections" : route.view;
  const signOut = async () => {
    await api("DELETE", "/admin/session").catch(() => undefined);
    setSession({ state: "out" });
  };
  const current = (v: string) => (view === v ? "page" : undefined);
  return (
    <div class="desk" onClick={onLink}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">Parley</span>
        <nav aria-label="Desk">
          {!desk.newsroomOnly && <a href="/admin/queues/pending" aria-current={current("queue")}>Queues</a>}
          <a href="/admin/corrections" aria-current={current("corrections")}>Corrections</a>
          <a href="/admin/questions" aria-current={current("questions")}>Questions</a>
          {!desk.newsroomOnly && <a href="/admin/stories" aria-current={current("stories")}>Stories</a>}
          {!desk.newsroomOnly && <a href="/admin/dashboard" aria-current={current("dashboard")}>Dashboard</a>}
          {!desk.newsroomOnly && <a href="/admin/appeals" aria-current={current("appeals")}>Appeals</a>}
          {!desk.newsroomOnly && <a href="/admin/log" aria-current={current("log")}>Audit log</a>}
          {admin && <a href="/admin/team" aria-current={current("team")}>Team</a>}
          {admin && <a href="/admin/settings" aria-current={current("settings")}>Settings</a>}
        </nav>
        <span class="who">
          {session.user.displayName} <span class="role">{role}</span>
          <button type="button" class="link" onClick={signOut}>Sign out</button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {view === "corrections" && <Corrections params={params} />}
        {view === "questions" && <Questions params={params} />}
        {view === "queue" && route.view === "queue" && <QueueView queue={route.queue} params={params} desk={desk} />}
        {view === "stories" && <Stories />}
        {view === "dashboard" && <Dashboard />}
        {view === "appeals" && <Appeals />}
        {view === "log" && <Log />}
        {view === "team" && (admin ? <Team /> : <p role="alert">Only admins give roles.</p>)}
        {view === "settings" &&
          (admin ? <Settings /> : <p role="alert">Only admins change settings.</p>)}
      </main>
    </div>
  );
}
