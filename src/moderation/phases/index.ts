import type { Actor } from "../../accounts/actor.js";
import type { Deps } from "../../deps.js";
import { AppError, conflict } from "../../errors.js";
import { ErrorCodes } from "../../shared/codes.js";
import type { StoryRow } from "../../store/schema.js";
import type { PartialVerdict, Verdict } from "../verdict.js";

/** Everything a phase may look at. Phases read; they never write. */
export interface Submission {
  deps: Deps;
  actor: Actor;
  story: StoryRow;
  body: string;
  parentId: string | null;
  now: number;
}

export type Phase = (submission: Submission) => Promise<PartialVerdict | void> | PartialVerdict | void;

/** A closed or archived story takes no new comments. */
export const storyOpen: Phase = ({ story }) => {
  if (story.status !== "open") {
    throw conflict(ErrorCodes.STORY_CLOSED, "Commenting is closed on this story.", { status: story.status });
  }
};

/** Banned and suspended authors cannot post. */
export const authorStanding: Phase = ({ actor, now }) => {
  const user = actor.user;
  if (user.status === "banned")
    throw new AppError(403, ErrorCodes.USER_BANNED, "Your account is banned from commenting.");
  if (user.status === "suspended" && (user.suspended_until ?? 0) > now) {
    const until = new Date(user.suspended_until ?? 0).toISOString();
    throw new AppError(403, ErrorCodes.USER_SUSPENDED, `Your account is suspended until ${until}.`, { until });
  }
};

/** Stories set to pre-moderation hold every comment for review. */
export const preModeration: Phase = ({ story }) => {
  if (story.premod === 1) {
    return { hold: true, reasons: [{ phase: "premod", code: "STORY_PREMOD", message: "The story is pre-moderated." }] };
  }
};

/** The phases, in order. The first to throw refuses the comment; any hold holds it. */
export const PHASES: Phase[] = [storyOpen, authorStanding, preModeration];

export async function moderate(submission: Submission, phases: Phase[] = PHASES): Promise<Verdict> {
  const verdict: Verdict = { status: "published", reasons: [], scores: {} };
  for (const phase of phases) {
    const partial = await phase(submission);
    if (!partial) continue;
    if (partial.hold) verdict.status = "pending";
    if (partial.reasons) verdict.reasons.push(...partial.reasons);
    if (partial.scores) Object.assign(verdict.scores, partial.scores);
  }
  return verdict;
}
