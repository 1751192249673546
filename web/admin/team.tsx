import { useEffect, useState } from "preact/hooks";
import type { Person, Site, TeamMember as Member } from "../../src/shared/sites.js";
import { findPeople, giveRole, sites as sitesOf, takeRole, team as teamOf } from "../shared/endpoints.js";
import type { ApiError } from "../shared/http.js";
import { desk } from "./connection.js";

const ROLE_WORDS: Record<string, string> = { admin: "Admin", moderator: "Moderator", staff: "Newsroom staff" };
const sectionList = (text: string) => text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);

/**
 * Who runs and moderates a site: roles held everywhere (given with the CLI) and roles on this
 * site, which an admin gives, scopes to sections or takes back here. Every change is audited.
 */
export function Team() {
  const [sites, setSites] = useState<Site[]>([]);
  const [siteId, setSiteId] = useState("default");
  const [team, setTeam] = useState<Member[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const site = sites.find((s) => s.id === siteId)?.name ?? siteId;

  const load = () =>
    teamOf(desk, siteId).then(
      (r) => setTeam(r.items),
      (e: ApiError) => setMessage({ ok: false, text: e.message }),
    );
  useEffect(() => void sitesOf(desk).then((r) => setSites(r.items)), []);
  useEffect(() => {
    setTeam(null);
    void load();
  }, [siteId]);

  // The table is reloaded before the sentence says it is done, so the two never disagree.
  const give = async (person: { userId: string; name: string }, role: "moderator" | "admin", sections: string[]) => {
    try {
      await giveRole(desk, siteId, person.userId, role, sections);
      const where = sections.length ? ` for ${sections.join(", ")}` : "";
      await load();
      setMessage({ ok: true, text: `${person.name} is now ${role === "admin" ? "an admin" : "a moderator"} of ${site}${where}. The change is recorded in the audit log.` });
    } catch (e) {
      setMessage({ ok: false, text: (e as ApiError).message });
    }
  };
  const takeBack = async (member: Member) => {
    try {
      await takeRole(desk, siteId, member.userId);
      await load();
      setMessage({ ok: true, text: `${member.name} no longer has a role on ${site}. The change is recorded in the audit log.` });
    } catch (e) {
      setMessage({ ok: false, text: (e as ApiError).message });
    }
  };

  return (
    <section aria-labelledby="team-title" class="team">
      <h1 id="team-title">Team</h1>
      {sites.length > 1 && (
        <label>
          Team of site
          <select value={siteId} onChange={(e) => setSiteId((e.currentTarget as HTMLSelectElement).value)}>
            {sites.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </label>
      )}
      {message && <p class={message.ok ? "ok" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
      {!team ? <p aria-busy="true">Loading…</p> : (
        <table class="team-table">
          <caption>People who run or moderate {site}</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Where</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {team.map((m) => <Row key={`${m.scope}-${m.userId}`} member={m} site={site} onSections={(s) => give(m, "moderator", s)} onRemove={() => takeBack(m)} />)}
          </tbody>
        </table>
      )}
      <AddPerson siteId={siteId} site={site} onAdd={give} />
    </section>
  );
}

function Row(props: { member: Member; site: string; onSections(sections: string[]): void; onRemove(): void }) {
  const m = props.member;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(m.sections.join(", "));
  const where = m.scope === "everywhere" ? "Every site" : m.sections.length ? `Sections: ${m.sections.join(", ")}` : `All of ${props.site}`;
  return (
    <tr>
      <th scope="row">{m.name}</th>
      <td>{m.email ?? <span class="muted">no e-mail</span>}</td>
      <td>{ROLE_WORDS[m.role] ?? m.role}</td>
      <td>
        {editing ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setEditing(false);
              props.onSections(sectionList(text));
            }}
          >
            <label>
              Sections {m.name} moderates (comma-separated; empty: all of {props.site})
              <input value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <button type="submit">Save sections</button>
          </form>
        ) : where}
      </td>
      <td>
        {m.scope === "everywhere" ? (
          <span class="muted">Set with the command line</span>
        ) : (
          <div class="actions">
            {m.role === "moderator" && !editing && <button type="button" onClick={() => setEditing(true)}>Change sections of {m.name}</button>}
            <button type="button" onClick={props.onRemove}>Take {m.name}'s role away</button>
          </div>
        )}
      </td>
    </tr>
  );
}

function AddPerson(props: { siteId: string; site: string; onAdd(person: Person, role: "moderator" | "admin", sections: string[]): Promise<void> }) {
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Person[] | null>(null);
  const [problem, setProblem] = useState("");
  const [role, setRole] = useState<"moderator" | "admin">("moderator");
  const [sections, setSections] = useState("");
  const search = async (event: Event) => {
    event.preventDefault();
    setProblem("");
    try {
      const r = await findPeople(desk, props.siteId, q.trim());
      setFound(r.items);
    } catch (e) {
      setProblem((e as ApiError).message);
    }
  };
  return (
    <section aria-labelledby="add-person" class="add-person">
      <h2 id="add-person">Give someone a role on {props.site}</h2>
      <p class="muted">They need an account first: they sign up in the comments, or sign in with the publisher's login once.</p>
      <form onSubmit={search} class="row">
        <label>
          E-mail address or the start of a name
          <input value={q} minLength={2} required onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">Find</button>
      </form>
      {problem && <p class="error" role="alert">{problem}</p>}
      {found && found.length === 0 && <p role="status">Nobody with that e-mail address or name has an account yet.</p>}
      {found && found.length > 0 && (
        <form
          class="give"
          onSubmit={async (e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget as HTMLFormElement);
            const person = found.find((p) => p.userId === f.get("person"));
            if (!person) return setProblem("Choose the person first.");
            await props.onAdd(person, role, role === "moderator" ? sectionList(sections) : []);
            setFound(null);
            setQ("");
            setSections("");
          }}
        >
          <fieldset>
            <legend>Who</legend>
            {found.map((p, i) => (
              <label class="radio" key={p.userId}>
                <input type="radio" name="person" value={p.userId} defaultChecked={i === 0} /> {p.name}
                {p.email ? <span class="muted"> · {p.email}</span> : null}
              </label>
            ))}
          </fieldset>
          <label>
            Role
            <select value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as "moderator" | "admin")}>
              <option value="moderator">Moderator of {props.site}</option>
              <option value="admin">Admin of {props.site}</option>
            </select>
          </label>
          {role === "moderator" && (
            <label>
              Only these sections (comma-separated; empty: all of {props.site})
              <input value={sections} placeholder="politics, opinion" onInput={(e) => setSections((e.currentTarget as HTMLInputElement).value)} />
            </label>
          )}
          <button type="submit" class="primary">Give the role</button>
        </form>
      )}
    </section>
  );
}
