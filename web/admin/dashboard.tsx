import { holdReason, plural } from "./words.js";
import { useEffect, useState } from "preact/hooks";
import { myDay, stats as statsOf } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";
import { ago } from "./words.js";
import { COLOURS, HourBars, RankBars, ShareBar, WORDS } from "./charts.js";
import type { MyDay, Stats } from "./types.js";

/** The moderator's own view: what they decided today and what has waited longest. */
function YourDay({ day, waiting }: { day: MyDay; waiting: number }) {
  return (
    <section class="panel wide" aria-labelledby="your-day">
      <h2 id="your-day">Your day</h2>
      <p>
        You approved {plural(day.approved, "comment")} and rejected {plural(day.rejected, "comment")} today.{" "}
        {waiting === 0 ? "Nothing is waiting." : `${plural(waiting, "comment")} ${waiting === 1 ? "is" : "are"} waiting.`}
      </p>
      {day.waitingLongest.length > 0 && (
        <>
          <h3>Waiting longest</h3>
          <ol class="plain waiting">
            {day.waitingLongest.map((w) => (
              <li key={w.commentId}>
                <a href={`/admin/queues/pending?story=${w.storyId}`}>
                  {w.authorName} on “{w.storyTitle}”
                </a>{" "}
                <span class="muted">· {ago(w.waitingSince) === "just now" ? "just arrived" : `waiting for ${ago(w.waitingSince).replace(" ago", "")}`}</span>
                <br />
                <span class="excerpt">{w.excerpt}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

const label = holdReason;

/** A duration in words, from seconds: "45 s", "12 min", "3.5 h". */
export function duration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}

/** The backlog alert: whether it is set, and whether it has gone out for the current backlog. */
function Backlog({ stats }: { stats: Stats }) {
  const { backlog, queue } = stats;
  const oldest = queue.oldestAgeMinutes;
  return (
    <p class={backlog.raisedAt ? "backlog raised" : "backlog"} role={backlog.raisedAt ? "alert" : undefined}>
      {backlog.alertMinutes === null
        ? "No backlog alert is set (Settings: backlog alert)."
        : backlog.raisedAt
          ? `Backlog: the oldest comment has waited ${oldest ?? 0} minutes, past the ${backlog.alertMinutes}-minute alert; the admins were told at ${new Date(backlog.raisedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`
          : `The admins are alerted when a comment waits over ${backlog.alertMinutes} minutes${oldest !== null ? `; the oldest has waited ${oldest}` : ""}.`}
    </p>
  );
}

/** Each moderator's decisions in the period and how long the comments had waited for them. */
function Moderators({ stats }: { stats: Stats }) {
  return (
    <section class="panel wide" aria-labelledby="moderators-title">
      <h2 id="moderators-title">Moderators</h2>
      {stats.moderators.length === 0 ? <p class="muted">No decisions in the last {stats.range}.</p> : (
        <div class="scroll-x">
          <table class="moderators">
            <thead>
              <tr>
                <th scope="col">Moderator</th>
                <th scope="col">Decisions</th>
                <th scope="col">Approved</th>
                <th scope="col">Rejected</th>
                <th scope="col">Median wait</th>
                <th scope="col">90% within</th>
              </tr>
            </thead>
            <tbody>
              {stats.moderators.map((m) => (
                <tr key={m.moderatorId}>
                  <th scope="row">{m.name}</th>
                  <td>{m.decisions}</td>
                  <td>{m.approved}</td>
                  <td>{m.rejected}</td>
                  <td>{duration(m.medianSeconds)}</td>
                  <td>{duration(m.p90Seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted">The wait is from a comment's writing to the decision on it.</p>
    </section>
  );
}

/** The last day or week at a glance, from one statistics request. */
export function Dashboard() {
  const [range, setRange] = useState<"day" | "week">("day");
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState("");
  const [day, setDay] = useState<MyDay | null>(null);
  useEffect(() => {
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    myDay(desk, midnight.toISOString()).then(setDay, (e: ApiError) => setError(e.message));
  }, []);
  useEffect(() => {
    statsOf(desk, range).then(setStats, (e: ApiError) => setError(e.message));
  }, [range]);

  return (
    <section aria-labelledby="dash-title" class="dashboard">
      <h1 id="dash-title">Dashboard</h1>
      <div role="group" aria-label="Period" class="segmented">
        {(["day", "week"] as const).map((r) => (
          <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
            Last {r}
          </button>
        ))}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!stats ? <p aria-busy="true">Loading…</p> : (
        <div class="panels">
          {day && <YourDay day={day} waiting={stats.queue.pending} />}
          <section class="panel wide">
            <h2>Comments per hour</h2>
            <HourBars hours={stats.perHour} label={`${stats.total} comments in the last ${stats.range}, per hour`} />
            <p class="legend">
              {(Object.keys(COLOURS) as (keyof typeof COLOURS)[]).map((s) => (
                <span key={s}><i class={`swatch ${s}`} aria-hidden="true" /> {WORDS[s]}</span>
              ))}
            </p>
          </section>
          <section class="panel">
            <h2>Published, held and rejected</h2>
            <ShareBar shares={stats.shares} />
          </section>
          <section class="panel">
            <h2>Queue age</h2>
            <p>
              {plural(stats.queue.pending, "comment")} waiting
              {stats.queue.oldestAgeHours !== null && (
                <>; the oldest for {stats.queue.oldestAgeHours < 1 ? "under an hour" : plural(stats.queue.oldestAgeHours, "hour")}</>
              )}
            </p>
            <Backlog stats={stats} />
            <RankBars
              rows={stats.queue.ages.map((a) => ({ label: a.label, value: a.count }))}
              label={stats.queue.ages.map((a) => `${a.label}: ${a.count}`).join(", ")}
              heading="Waiting for"
              unit="Comments waiting"
            />
          </section>
          <section class="panel">
            <h2>Top reasons for holding</h2>
            {stats.topHoldReasons.length === 0 ? <p class="muted">Nothing was held.</p> : (
              <RankBars
                rows={stats.topHoldReasons.map((r) => ({ label: label(r.code), value: r.count }))}
                label={stats.topHoldReasons.map((r) => `${label(r.code)}: ${r.count}`).join(", ")}
                heading="Reason"
                unit="Comments held"
              />
            )}
            {stats.reasonsSampled && <p class="muted">From a sample of the held comments.</p>}
          </section>
          <section class="panel">
            <h2>Busiest stories</h2>
            <ol class="plain">
              {stats.busiestStories.map((s) => (
                <li key={s.id}>
                  <a href={`/admin/queues/pending?story=${s.id}`}>{s.title}</a> <span class="muted">{plural(s.comments, "comment")}, {s.pending} held</span>
                </li>
              ))}
            </ol>
          </section>
          <Moderators stats={stats} />
          {stats.bySection && stats.bySection.some((s) => s.section !== null) && (
            <section class="panel">
              <h2>By section</h2>
              <div class="scroll-x">
                <table class="sections">
                <thead>
                  <tr>
                    <th scope="col">Section</th>
                    <th scope="col">Comments</th>
                    <th scope="col">Published</th>
                    <th scope="col">Held</th>
                    <th scope="col">Rejected</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.bySection.map((s) => (
                    <tr key={s.section ?? ""}>
                      <th scope="row">
                        {s.section ? <a href={`/admin/queues/pending?section=${encodeURIComponent(s.section)}`}>{s.section}</a> : <span class="muted">No section</span>}
                      </th>
                      <td>{s.comments}</td>
                      <td>{s.published}</td>
                      <td>{s.pending}</td>
                      <td>{s.rejected}</td>
                    </tr>
                  ))}
                </tbody>
                </table>
              </div>
            </section>
          )}
        </div>
      )}
    </section>
  );
}
