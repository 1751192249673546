import type { Actor } from "../../accounts/actor.js";
import type { Deps } from "../../deps.js";
import type { StoryRow } from "../../store/schema.js";
import type { ModerationSettings } from "../settings.js";
import type { PartialVerdict } from "../verdict.js";

/** Everything a phase may look at. Phases read; they never write (rate counters aside). */
export interface Submission {
  deps: Deps;
  actor: Actor;
  story: StoryRow;
  settings: ModerationSettings;
  /** The text: raw until the text phase, normalised after it. */
  body: string;
  parentId: string | null;
  now: number;
  ipHash: string | null;
  /** The author confirmed after a nudge. */
  confirm: boolean;
  /** Set when an edit is being checked: the comment being edited. */
  editing: string | null;
  /** Set by the words phase: the default suspect list found swearing in plain sight. */
  swearing?: boolean;
}

export type Phase = (submission: Submission) => Promise<PartialVerdict | void> | PartialVerdict | void;
