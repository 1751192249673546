import { useState } from "preact/hooks";
import type { Policy, PremodWindow, SectionPolicy } from "../../src/policy/schema.js";

/**
 * The newsroom's policy in the desk's words: when threads close, who may comment, the night
 * shift's pre-moderation windows and each section's own rules. A section's setting left on
 * "as the site" inherits; the server checks the whole policy on save (time zones included).
 */
export function PolicyField(props: { value: Policy; onChange(value: Policy): void }) {
  const { value, onChange } = props;
  const set = (patch: Partial<Policy>) => onChange({ ...value, ...patch });
  return (
    <fieldset class="policy">
      <legend>Newsroom policy</legend>
      <p class="muted">A story's own setting wins over its section's, a section's over these.</p>
      <CloseAfter id="pol-close" value={value.closeAfterDays} onChange={(closeAfterDays) => set({ closeAfterDays })} />
      <Commenting id="pol-commenting" value={value.commenting} onChange={(commenting) => commenting && set({ commenting })} />
      <label for="pol-subscribe">
        Subscription page, linked when only subscribers can comment
        <input
          id="pol-subscribe"
          type="url"
          placeholder="https://news.example/subscribe"
          value={value.subscribeUrl ?? ""}
          onInput={(e) => set({ subscribeUrl: (e.currentTarget as HTMLInputElement).value.trim() || null })}
        />
      </label>
      <Windows
        legend="Night shift: comments are held for review while one of these windows is open"
        value={value.premodWindows}
        onChange={(premodWindows) => set({ premodWindows })}
      />
      <Sections value={value.sections} onChange={(sections) => set({ sections })} />
    </fieldset>
  );
}

function CloseAfter(props: { id: string; value: number | null | undefined; inherit?: boolean; onChange(value: number | null | undefined): void }) {
  const mode = props.value === undefined ? "inherit" : props.value === null ? "never" : "days";
  return (
    <div class="close-after">
      <label for={props.id}>New comments stop</label>
      <select
          id={props.id}
          value={mode}
          onChange={(e) => {
            const next = (e.currentTarget as HTMLSelectElement).value;
            props.onChange(next === "inherit" ? undefined : next === "never" ? null : (props.value ?? 3));
          }}
        >
          {props.inherit && <option value="inherit">as the site says</option>}
          <option value="never">never</option>
          <option value="days">some days after publication</option>
      </select>
      {mode === "days" && (
        <label for={`${props.id}-days`}>
          Days after publication
          <input
            id={`${props.id}-days`}
            type="number"
            min={1}
            max={3650}
            step={1}
            value={String(props.value)}
            onInput={(e) => {
              const n = (e.currentTarget as HTMLInputElement).valueAsNumber;
              if (Number.isInteger(n) && n >= 1) props.onChange(n);
            }}
          />
        </label>
      )}
    </div>
  );
}

const COMMENTING: Array<[Policy["commenting"], string]> = [
  ["everyone", "every signed-in reader"],
  ["registered", "readers with a verified e-mail or the publisher's sign-in"],
  ["subscribers", "subscribers only"],
];

function Commenting(props: { id: string; value: Policy["commenting"] | undefined; inherit?: boolean; onChange(value: Policy["commenting"] | undefined): void }) {
  return (
    <div class="commenting">
      <label for={props.id}>Who may comment</label>
      <select
        id={props.id}
        value={props.value ?? "inherit"}
        onChange={(e) => {
          const next = (e.currentTarget as HTMLSelectElement).value;
          props.onChange(next === "inherit" ? undefined : (next as Policy["commenting"]));
        }}
      >
        {props.inherit && <option value="inherit">as the site says</option>}
        {COMMENTING.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </div>
  );
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const zones = (): string[] => {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
};
const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

function Windows(props: { legend: string; value: PremodWindow[]; onChange(value: PremodWindow[]): void }) {
  const { value, onChange } = props;
  const put = (i: number, w: PremodWindow) => onChange(value.map((x, j) => (j === i ? w : x)));
  return (
    <fieldset class="windows">
      <legend>{props.legend}</legend>
      {value.length === 0 && <p class="muted">No windows: comments follow the usual rules at every hour.</p>}
      {value.map((w, i) => (
        <div class="window" key={i} role="group" aria-label={`Window ${i + 1}`}>
          <div class="days">
            {DAYS.map((day, d) => (
              <label class="inline" key={day}>
                <input
                  type="checkbox"
                  checked={w.days.includes(d)}
                  onChange={(e) => {
                    const on = (e.currentTarget as HTMLInputElement).checked;
                    const days = on ? [...w.days, d].sort() : w.days.filter((x) => x !== d);
                    put(i, { ...w, days });
                  }}
                />
                {day.slice(0, 3)}
              </label>
            ))}
          </div>
          <label>
            From <input type="time" value={w.from} onInput={(e) => put(i, { ...w, from: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          <label>
            To (past midnight when earlier) <input type="time" value={w.to} onInput={(e) => put(i, { ...w, to: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          <label>
            Time zone
            <input list="pol-zones" value={w.timeZone} onInput={(e) => put(i, { ...w, timeZone: (e.currentTarget as HTMLInputElement).value.trim() })} />
          </label>
          <button type="button" onClick={() => onChange(value.filter((_, j) => j !== i))}>Remove window {i + 1}</button>
        </div>
      ))}
      <datalist id="pol-zones">{zones().map((z) => <option key={z} value={z} />)}</datalist>
      <button type="button" onClick={() => onChange([...value, { days: [0, 1, 2, 3, 4, 5, 6], from: "22:00", to: "06:00", timeZone: localZone() }])}>
        Add a window
      </button>
    </fieldset>
  );
}

function Sections(props: { value: Record<string, SectionPolicy>; onChange(value: Record<string, SectionPolicy>): void }) {
  const { value, onChange } = props;
  const [name, setName] = useState("");
  const [problem, setProblem] = useState("");
  const put = (key: string, section: SectionPolicy) => onChange({ ...value, [key]: section });
  const add = () => {
    const key = name.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(key)) return setProblem("A section's name is lower-case letters, digits, - or _, as stories carry it.");
    if (value[key]) return setProblem(`The section ${key} is already listed.`);
    setProblem("");
    setName("");
    put(key, {});
  };
  const entries = Object.entries(value);
  return (
    <fieldset class="sections">
      <legend>Sections</legend>
      {entries.length === 0 && <p class="muted">No section has rules of its own.</p>}
      {entries.map(([key, section]) => {
        const without = <K extends keyof SectionPolicy>(k: K, v: SectionPolicy[K] | undefined): SectionPolicy => {
          const next = { ...section };
          if (v === undefined) delete next[k];
          else next[k] = v;
          return next;
        };
        return (
          <fieldset class="section" key={key}>
            <legend>{key}</legend>
            <CloseAfter id={`pol-${key}-close`} inherit value={section.closeAfterDays} onChange={(v) => put(key, without("closeAfterDays", v))} />
            <Commenting id={`pol-${key}-commenting`} inherit value={section.commenting} onChange={(v) => put(key, without("commenting", v))} />
            <label class="inline">
              <input type="checkbox" checked={section.premod === true} onChange={(e) => put(key, without("premod", (e.currentTarget as HTMLInputElement).checked || undefined))} />
              Hold every comment in {key} for review
            </label>
            {section.thresholds || section.holdThresholds ? (
              <p class="muted">This section also has its own score thresholds, set through the settings API.</p>
            ) : null}
            <button
              type="button"
              onClick={() => {
                const next = { ...value };
                delete next[key];
                onChange(next);
              }}
            >
              Remove section {key}
            </button>
          </fieldset>
        );
      })}
      <div class="add-section">
        <label for="pol-new-section">
          Section name, as stories carry it
          <input id="pol-new-section" value={name} placeholder="politics" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="button" onClick={add}>Add section rules</button>
        {problem && <p class="error" role="alert">{problem}</p>}
      </div>
    </fieldset>
  );
}

/** The policy as a settings patch: a section removed in the form is sent as null, which removes it on the server. */
export function policyPatch(saved: Policy, draft: Policy): unknown {
  const removed = Object.keys(saved.sections).filter((key) => !(key in draft.sections));
  return { ...draft, sections: { ...draft.sections, ...Object.fromEntries(removed.map((key) => [key, null])) } };
}
