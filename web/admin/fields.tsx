import { PolicyField } from "./policy.js";
import type { Policy } from "../../src/policy/schema.js";
/** One input per setting, chosen by the value's type, so every moderation setting is editable without a form per field. */
const LABELS: Record<string, string> = {
  bannedWords: "Banned words (refused outright), one per line",
  suspectWords: "Suspect words (held for review), one per line",
  thresholds: "Nudge thresholds (0 to 1; at or above, the author is asked to reconsider; with nudging off, the comment is held)",
  holdThresholds: "Hold thresholds (0 to 1; at or above, the comment waits for a moderator at once)",
  nudge: "Nudge: ask the author to reconsider before holding",
  maxLinks: "Links allowed per comment",
  linkMinPublished: "Published comments needed before links publish at once",
  blockedDomains: "Blocked link domains, one per line",
  rateLimits: "Rate limits",
  premod: "Pre-moderation defaults",
  site: "Pre-moderate the whole site",
  newAccountsUntilPublished: "Review new accounts until this many comments are published",
  notes: "Reader context notes",
  minPublishedToWrite: "Published comments a reader needs to write a context note",
  minPublishedToRate: "Published comments a reader needs to rate context notes",
  reportThreshold: "Reports from distinct readers that hold a published comment",
  editWindowSeconds: "Edit window: seconds an author may edit a comment (empty: the server's default)",
  duplicates: "Duplicates",
  webhook: "Moderation webhook (an external phase)",
  identityAttack: "Identity attack",
};
const human = (key: string) => LABELS[key] ?? key.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase()).toLowerCase().replace(/^./, (c) => c.toUpperCase());
const id = (path: string) => `set-${path.replace(/\W+/g, "-")}`;
const WEBHOOK = { url: "", secret: "", timeoutMs: 1500, failOpen: true };


export function SettingField(props: { name: string; path: string; value: unknown; onChange(value: unknown): void }) {
  const { name, path, value, onChange } = props;
  const label = human(name);
  if (name === "suspectWords") {
    const useDefault = value === "default";
    return (
      <fieldset>
        <legend>{label}</legend>
        <label class="inline">
          <input type="checkbox" checked={useDefault} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked ? "default" : [])} /> Use the built-in English list
        </label>
        {!useDefault && <List path={path} label="Words" value={value as string[]} onChange={onChange} />}
      </fieldset>
    );
  }
  if (name === "policy" && path === "policy") return <PolicyField value={value as Policy} onChange={onChange} />;
  if (name === "webhook") {
    return (
      <fieldset>
        <legend>{label}</legend>
        <label class="inline">
          <input type="checkbox" checked={value !== null} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked ? { ...WEBHOOK } : null)} /> Call a webhook for every comment
        </label>
        {value !== null && <Group path={path} value={value as Record<string, unknown>} onChange={onChange} />}
      </fieldset>
    );
  }
  if (typeof value === "boolean") {
    return (
      <label class="inline">
        <input type="checkbox" checked={value} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} /> {label}
      </label>
    );
  }
  if (typeof value === "number" || value === null) {
    const fraction = typeof value === "number" && !Number.isInteger(value);
    return (
      <label for={id(path)}>
        {label}
        <input
          id={id(path)}
          type="number"
          // Calibrated thresholds have three decimals (0.987): any fraction is a valid step, or the form would not submit.
          step={fraction || /^(hold)?thresholds/i.test(path) || name === "nearJaccard" ? "any" : "1"}
          value={value === null ? "" : String(value)}
          onInput={(e) => {
            const el = e.currentTarget as HTMLInputElement;
            // An empty field goes to the server as null, so its message names the field.
            onChange(Number.isNaN(el.valueAsNumber) ? null : el.valueAsNumber);
          }}
        />
      </label>
    );
  }
  if (Array.isArray(value)) return <List path={path} label={label} value={value as string[]} onChange={onChange} />;
  if (value && typeof value === "object") {
    return (
      <fieldset>
        <legend>{label}</legend>
        <Group path={path} value={value as Record<string, unknown>} onChange={onChange} />
      </fieldset>
    );
  }
  return (
    <label for={id(path)}>
      {label}
      <input id={id(path)} value={String(value ?? "")} onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)} />
    </label>
  );
}

function Group(props: { path: string; value: Record<string, unknown>; onChange(value: unknown): void }) {
  return (
    <div class="group">
      {Object.entries(props.value).map(([k, v]) => (
        <SettingField key={k} name={k} path={`${props.path}.${k}`} value={v} onChange={(next) => props.onChange({ ...props.value, [k]: next })} />
      ))}
    </div>
  );
}

function List(props: { path: string; label: string; value: string[]; onChange(value: unknown): void }) {
  return (
    <label for={id(props.path)}>
      {props.label}
      <textarea
        id={id(props.path)}
        rows={3}
        value={props.value.join("\n")}
        onChange={(e) => props.onChange((e.currentTarget as HTMLTextAreaElement).value.split("\n").map((s) => s.trim()).filter(Boolean))}
      />
    </label>
  );
}
