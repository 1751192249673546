import { createHash } from "node:crypto";
import type { Correction, DeskCorrection, StoryCorrection } from "../shared/corrections.js";
import type { CorrectionRow, UserRow } from "../store/schema.js";
import type { Config } from "../config.js";
import { presentUser } from "../accounts/presenter.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** A suggestion as its reader and the newsroom see it; never the private decline reason. */
export function presentCorrection(row: CorrectionRow): Correction {
  return {
    id: row.id,
    storyId: row.story_id,
    status: row.status,
    body: row.body,
    ...(row.quote_text ? { quote: { text: row.quote_text } } : {}),
    ...(row.evidence_url ? { evidenceUrl: row.evidence_url } : {}),
    ...(row.note ? { note: row.note } : {}),
    createdAt: iso(row.created_at),
    ...(row.decided_at === null ? {} : { decidedAt: iso(row.decided_at) }),
  };
}

/** The public correction a story carries. */
export function presentStoryCorrection(row: CorrectionRow): StoryCorrection {
  return {
    id: row.id,
    note: row.note ?? "",
    ...(row.quote_text ? { quote: { text: row.quote_text } } : {}),
    acceptedAt: iso(row.decided_at ?? row.created_at),
  };
}

export interface DeskContext {
  config: Config;
  stories: Map<string, { title: string; url: string }>;
  readers: Map<string, UserRow>;
  histories: Map<string, DeskCorrection["readerHistory"]>;
  groupSizes: Map<string, number>;
}

/** The group a suggestion belongs to: its story and folded passage (a suggestion without a quote stands alone). */
export const groupKey = (row: CorrectionRow) => (row.passage ? `${row.story_id}\n${row.passage}` : row.id);

export function presentDeskCorrection(ctx: DeskContext, row: CorrectionRow): DeskCorrection {
  const story = ctx.stories.get(row.story_id);
  const reader = ctx.readers.get(row.author_id);
  const key = groupKey(row);
  const reasons = (JSON.parse(row.reasons) as { message?: string; code: string }[]).map((r) => r.message ?? r.code);
  return {
    ...presentCorrection(row),
    storyTitle: story?.title ?? "",
    storyUrl: story?.url ?? "",
    reader: reader
      ? presentUser(ctx.config, reader)
      : {
          id: row.author_id,
          displayName: "A deleted reader",
          avatarUrl: "",
          role: "commenter",
          badges: [],
          createdAt: iso(0),
        },
    readerHistory: ctx.histories.get(row.author_id) ?? { published: 0, held: 0, rejected: 0, correctionsAccepted: 0 },
    held: row.held === 1,
    reasons,
    ...(row.decline_reason ? { declineReason: row.decline_reason } : {}),
    group: {
      key: createHash("sha256").update(key).digest("base64url").slice(0, 16),
      size: ctx.groupSizes.get(key) ?? 1,
    },
  };
}
