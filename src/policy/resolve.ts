import type { ModerationSettings } from "../moderation/settings.js";
import type { Commenting, StoryRow } from "../store/schema.js";
import { inWindow } from "./schedule.js";
import { DEFAULT_POLICY, type PremodWindow, type SectionPolicy } from "./schema.js";

const DAY = 86_400_000;

/** The policy in force on one story at one moment: its own settings over its section's over its site's. */
export interface StoryPolicy {
  section: string | null;
  commenting: Commenting;
  closeAfterDays: number | null;
  /** When new comments stop by schedule; null when the story never closes by itself. */
  closesAt: number | null;
  /** Closed by its moderators or by the schedule. */
  closed: boolean;
  /** Why comments are held for review right now, beyond the site-wide rules (section, night shift). */
  holds: { code: "SECTION_PREMOD" | "SCHEDULED_PREMOD"; message: string }[];
  subscribeUrl: string | null;
}

type PolicyStory = Pick<StoryRow, "status" | "published_at" | "created_at" | "section" | "close_after_days" | "commenting">;

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "Comments posted Friday and Saturday between 22:00 and 06:00 (Europe/Berlin) are reviewed before they appear." */
export function describeWindow(window: PremodWindow): string {
  const days = window.days.length === 7 ? "every day" : window.days.map((d) => DAY_NAMES[d]).join(", ");
  return `Comments posted ${days} between ${window.from} and ${window.to} (${window.timeZone}) are reviewed before they appear.`;
}

export function sectionPolicy(settings: ModerationSettings, section: string | null): SectionPolicy {
  const policy = settings.policy ?? DEFAULT_POLICY;
  return (section !== null && policy.sections[section]) || {};
}

export function storyPolicy(settings: ModerationSettings, story: PolicyStory, now: number): StoryPolicy {
  const site = settings.policy ?? DEFAULT_POLICY;
  const section = sectionPolicy(settings, story.section);
  const closeAfterDays =
    story.close_after_days ?? (section.closeAfterDays === undefined ? site.closeAfterDays : section.closeAfterDays);
  const closesAt = closeAfterDays === null ? null : (story.published_at ?? story.created_at) + closeAfterDays * DAY;
  const holds: StoryPolicy["holds"] = [];
  if (section.premod) holds.push({ code: "SECTION_PREMOD", message: `The section “${story.section}” is pre-moderated.` });
  const open = [...site.premodWindows, ...(section.premodWindows ?? [])].find((w) => inWindow(w, now));
  if (open) holds.push({ code: "SCHEDULED_PREMOD", message: describeWindow(open) });
  return {
    section: story.section,
    commenting: story.commenting ?? section.commenting ?? site.commenting,
    closeAfterDays,
    closesAt,
    closed: story.status !== "open" || (closesAt !== null && now >= closesAt),
    holds,
    subscribeUrl: site.subscribeUrl,
  };
}

/** The site's settings with the story's section's thresholds over them, as the scores phase reads them. */
export function settingsForSection(settings: ModerationSettings, section: string | null): ModerationSettings {
  const own = sectionPolicy(settings, section);
  if (!own.thresholds && !own.holdThresholds) return settings;
  return {
    ...settings,
    thresholds: { ...settings.thresholds, ...own.thresholds },
    holdThresholds: { ...settings.holdThresholds, ...own.holdThresholds },
  };
}
